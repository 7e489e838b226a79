"""Site files: where the wall's data comes from (connections), as validated data.

Layouts say what the wall shows; a site file says which backends feed it. Like
layouts, a site file is checked with every problem reported as `path:line:col`.
"""
