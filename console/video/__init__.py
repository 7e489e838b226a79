"""A camera tile's decisions without a screen: stream supervision, profiles, budget, tours."""
