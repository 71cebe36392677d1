"""The one pattern every section of the tracker is built on, whatever its model: a filterable
list with its htmx fragment, a record page with its History tab, create/edit/delete forms with
version checks, exports and imports, searchable selects and the value formatting they share.

Nothing here imports `members` or `partnerships`: sections declare themselves to it.
"""
