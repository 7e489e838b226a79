"""Credentials in a site file are references, never values: it can be shared and shown."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, field_validator, model_validator

from console.layout.positions import StrictModel

ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")


class SecretRef(StrictModel):
    """Where a credential is kept: exactly one of an environment variable or a keyring entry."""

    env: str | None = Field(None, description="environment variable name")
    keyring: str | None = Field(
        None, min_length=1, max_length=200, description="user name under service 'ioc-console'"
    )

    @field_validator("env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is not None and not ENV_NAME.fullmatch(value):
            raise ValueError(f"'{value}' is not an environment variable name")
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> SecretRef:
        if (self.env is None) == (self.keyring is None):
            raise ValueError("a credential names exactly one of 'env' or 'keyring'")
        return self


def _no_literal_secret(value: Any) -> Any:
    if isinstance(value, str | int | float):
        raise ValueError(
            "a credential is never written in a site file: use {env: VARIABLE} or {keyring: ENTRY}"
        )
    return value


Secret = Annotated[SecretRef, BeforeValidator(_no_literal_secret)]
