"""How the tracker names a person, everywhere: the full name, else the username."""


def name_of(first_name: str = "", last_name: str = "", username: str = "") -> str:
    full = f"{first_name or ''} {last_name or ''}".strip()
    return full or username or ""


def person_name(user) -> str:
    """`user`'s name as every page shows it ("" for nobody)."""
    if user is None:
        return ""
    return name_of(user.first_name, user.last_name, user.get_username())
