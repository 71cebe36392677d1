"""Column specs for the generic list template: what a table shows and how a cell is formatted."""

from dataclasses import dataclass

from leadit.people import person_name


@dataclass(frozen=True)
class Column:
    key: str  # attribute path on the row, e.g. "sponsor.name"; also the cell's CSS hook
    label: str
    sort: str | None = None  # the `sort` parameter value that orders by this column
    # text | link | money | number | year | date | badge | country | bool | person
    kind: str = "text"
    unit: str = ""  # shown in the header, e.g. "USD m"
    link: str | None = None  # path of the object whose URL the cell links to; "" = the row

    @property
    def numeric(self) -> bool:
        return self.kind in {"money", "number", "year"}

    def value(self, obj):
        for part in self.key.split("."):
            if obj is None:
                return None
            obj = getattr(obj, part)
        return obj() if callable(obj) else obj

    def target(self, obj):
        if self.link is None:
            return None
        if self.link == "":  # the row itself
            return obj
        for part in self.link.split("."):
            if obj is None:
                return None
            obj = getattr(obj, part)
        return obj

    def text(self, obj) -> str:
        """The cell as plain text, for exports."""
        value = self.value(obj)
        if value is None or value == "":
            return "not disclosed" if self.kind in {"money", "number"} else ""
        if self.kind == "badge":
            return getattr(obj, f"get_{self.key.split('.')[-1]}_display")()
        if self.kind == "country":
            return value.name
        if self.kind == "date":
            return value.isoformat()
        if self.kind == "bool":
            return "Yes" if value else "No"
        if self.kind == "person":
            return person_name(value)
        return str(value)
