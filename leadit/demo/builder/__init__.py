"""The demo data behind fixtures/leadit.json, with its provenance: every record carries the URL
of the public source it comes from.

Confidence and notes say what is real: "high"/"medium" records rest on the cited sources; "low"
records are ILLUSTRATIVE, invented to exercise the model, and say so in their description.
Rebuild the fixture with `make fixture` after changing this package or the models.

One module per section, each with its data and a build(demo) that creates it; the records a
section looks up in an earlier one (organisations by name, projects by key...) travel in the
Demo of context.py. The order below is the order of the primary keys in the fixture.
"""

from leadit.demo.builder import (
    assistance,
    engagements,
    forum,
    members,
    partnerships,
    projects,
    reference,
)
from leadit.demo.builder.context import Demo

__all__ = ["build"]


def build() -> None:
    """Create the demo data in an empty database."""
    demo = Demo()
    reference.build(demo)  # sectors, country profiles, technologies
    members.build(demo)  # organisations, members, contacts
    partnerships.build(demo)  # partnerships, participants, the ITP's working groups
    projects.build(demo)  # projects, stage history, financing
    engagements.build(demo)
    assistance.build(demo)
    forum.build(demo)
