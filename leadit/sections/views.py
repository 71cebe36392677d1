"""The one list/detail pattern every section of the tracker uses.

A section's list view sets `model`, `queryset`, `filterset_class` and `columns`; the page and its
htmx fragment come from one template (`generic/object_list.html`) whose `results` partial is
returned alone when htmx targets `#results`.
"""

import copy
import itertools
from functools import wraps
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.core.validators import EMPTY_VALUES
from django.db.models import Q, QuerySet
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.views.decorators.http import require_POST
from django.views.generic import DetailView
from django_filters.filterset import FilterSetMetaclass
from django_filters.views import FilterView

from leadit.jobs.tasks import counting, hand_over
from leadit.roles import TRACKER_APPS

from .caching import cache_select_options
from .columns import declaration_for, field_kind
from .csvstream import neutralise, stream_csv
from .excel import export_filename, xlsx_response
from .fields import EMPTY_IN_FILTERS, label_empty_choices
from .formatting import money_as_typed
from .internal import sees_internal
from .models import ColumnChoice, not_verified
from .ordering import sort_order
from .panels import panels_for
from .registry import section_of, url_of, viewname
from .search import by_relevance, in_two_passes, text_search
from .tables import TableRows, spelled_out

EXPORT_LABELS = {"csv": "CSV", "xlsx": "Excel", "iati": "IATI XML"}
DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 200


def wants_fragment(request, target: str) -> bool:
    """htmx asked for #target; plain, boosted and history-restore requests get the full page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and htmx.target == target and not htmx.history_restore_request


def list_label(model) -> str:
    """How breadcrumbs name a section's list: the menu's words, else the plural name."""
    from leadit.context_processors import menu_label

    return menu_label(viewname(model, "list")) or capfirst(model._meta.verbose_name_plural)


def can(user, action: str, model) -> bool:
    meta = model._meta
    return user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}")


def require_perm(user, action: str, model) -> None:
    if not can(user, action, model):
        raise PermissionDenied(f"You may not {action} {model._meta.verbose_name_plural}.")


def requires(action: str, models, *, any_of: bool = False):
    """View decorator: the user needs `action` on every one of `models` (a list, or a callable
    giving one), or on any with `any_of`. Put it outermost: it is checked before the method
    and the record, so a user without the permission learns nothing, not even what exists."""

    def allowed(user) -> bool:
        chosen = models() if callable(models) else models
        granted = [can(user, action, model) for model in chosen]
        return any(granted) if any_of else all(granted)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied(f"You may not {action} what this page shows.")
            return view(request, *args, **kwargs)

        wrapped.allowed = allowed  # asked by may_open (the menu)
        return wrapped

    return decorator


def may_open(user, url: str) -> bool:
    """Whether the page at `url` lets the user in, by the view's own check (requires, or
    PermissionMixin): the menu offers only what a user may open."""
    func = resolve(url).func
    check = getattr(func, "allowed", None)
    if check is not None:
        return check(user)
    view_class = getattr(func, "view_class", None)
    model = getattr(view_class, "model", None)
    action = getattr(view_class, "permission_action", None)
    return model is None or action is None or can(user, action, model)


class PermissionMixin:
    """A class-based view of `model` needs the user's `action` permission on it, checked
    first in dispatch (before the method and the record). Every generic view has it, so a new
    section is covered without code."""

    permission_action = "view"

    def dispatch(self, request, *args, **kwargs):
        require_perm(request.user, self.permission_action, self.model)
        return super().dispatch(request, *args, **kwargs)


def keep_queryset(queryset, name, value):
    """For parameters the view reads itself (paging)."""
    return queryset


class IntegerFilter(django_filters.NumberFilter):
    """A whole-number filter (years, page sizes): '2.5' is an error, not a silent rounding."""

    field_class = forms.IntegerField


class FiltersOfARequest(dict):
    """A FilterSet class's filters (`base_filters`), which django-filter deep-copies for each
    request. A request sets its own `parent` and `model` on its copies and may write its
    queryset in their `extra` (QuerySetRequestMixin); it only reads what they hold (options,
    widgets, querysets), so each filter is copied with its own `extra` but shares those.
    Deep copies were about 6,000 function calls a pipeline request (issue 18)."""

    def __deepcopy__(self, memo):
        return {name: copy_filter(filter_) for name, filter_ in self.items()}


def copy_filter(filter_):
    copied = copy.copy(filter_)
    copied.extra = filter_.extra.copy()
    copied.__dict__.pop("_field", None)  # built from the copy's own extra, if asked for
    if filter_.method is not None:
        copied.method = filter_.method  # binds the filter's FilterMethod to the copy's parent
    return copied


class FieldsOfARequest(dict):
    """A filter form class's fields (`base_fields`), which Django deep-copies for each form:
    the same copies, but sharing the lists of options the fields wrap (the country filter's
    250), which nothing changes in place (label_empty_choices, cache_select_options and the
    page size give a field new options, never edit its list)."""

    def __deepcopy__(self, memo):
        for field in self.values():
            options = getattr(field, "_choices", None)
            # django-filter wraps the list in an iterator that names its field: that iterator
            # is copied (for the copy of the field), its list is not.
            options = getattr(options, "choices", options)
            if isinstance(options, list | tuple):
                memo[id(options)] = options
        return {name: copy.deepcopy(field, memo) for name, field in self.items()}


class TrackerFilterSetMetaclass(FilterSetMetaclass):
    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        new_class.base_filters = FiltersOfARequest(new_class.base_filters)
        return new_class


class TrackerFilterSet(django_filters.FilterSet, metaclass=TrackerFilterSetMetaclass):
    """Base of every section's filters: free-text search, sorting and page size.

    Subclasses define `search_fields` (for `q`) and `sort_fields` (public name -> ORM field).
    Unknown sort values are ignored, as a spreadsheet user would expect from a bad link.
    """

    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Search…"}),
    )
    sort = django_filters.CharFilter(method="sort_by", widget=forms.HiddenInput)
    per_page = IntegerFilter(
        label="Rows per page",
        method=keep_queryset,
        min_value=1,
        max_value=MAX_PER_PAGE,
        widget=forms.Select(choices=[("", "25"), (50, "50"), (100, "100"), (200, "200")]),
    )

    unverified_months = IntegerFilter(
        method="filter_unverified", label="Not verified for (months)", min_value=1, max_value=600
    )

    search_fields: tuple[str, ...] = ()
    sort_fields: dict[str, str] = {}
    # Filters on the Secretariat's internal fields or lists (the review queue of records not
    # verified lately, an engagement's owner): only for users who see them
    # (leadit.sections.internal); for others they are not offered and their parameters are
    # ignored, so a filter cannot tell what an internal field holds.
    internal_filters: tuple[str, ...] = ("unverified_months",)

    @classmethod
    def get_filters(cls):
        """The class's filters; the review queue ("not verified for") only where the records
        have a verified date (contacts have none)."""
        filters = super().get_filters()
        model = cls._meta.model
        if model is not None and not any(
            field.name == "last_verified_on" for field in model._meta.get_fields()
        ):
            filters.pop("unverified_months", None)
        return filters

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sees_internal = sees_internal(getattr(self.request, "user", None))
        if not self.sees_internal:
            for name in self.internal_filters:
                self.filters.pop(name, None)
            # Nor may they sort by an internal field: the order would tell what it holds.
            internal = declaration_for(self._meta.model).internal
            self.sort_fields = {
                key: field
                for key, field in self.sort_fields.items()
                if field.split("__")[0] not in internal
            }

    # Filters whose choices come from a callable, with the table they come from (the cached
    # options follow its changes).
    choice_models: dict = {}
    # Filters that accept more values than they list: field name -> callable giving the options
    # shown (cached like the others, under the state of the table in choice_models).
    shown_choices: dict = {}

    def get_form_class(self):
        """The filters' form class, built once per FilterSet class and audience (with or
        without the internal filters): its fields come from the class's declarations, the same
        for every request of that audience (each form still gets copies of them, as Django's
        forms do). Built anew when a filter's queryset depends on the request."""
        cls = type(self)
        key = "_form_class_internal" if self.sees_internal else "_form_class_public"
        form_class = cls.__dict__.get(key)
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = FieldsOfARequest(form_class.base_fields)
            if not any(callable(getattr(f, "queryset", None)) for f in self.filters.values()):
                setattr(cls, key, form_class)
        return form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            label_empty_choices(form, EMPTY_IN_FILTERS, skip=("per_page",))
            name = f"filters:{type(self).__qualname__}"
            cache_select_options(
                form, name, self.choice_models, widget_only=True, shown_choices=self.shown_choices
            )
            # A page size from a link (?per_page=10) is offered too: the select says what the
            # URL says, and the next request keeps it.
            size = self.data.get("per_page", "") if self.data else ""
            widget = form.fields["per_page"].widget
            offered = {str(v) for v, _ in widget.choices}
            if size.isascii() and size.isdigit() and size not in offered:
                widget.choices = [*widget.choices, (size, size)]
        return self._form

    # Parameters that are not shown as removable filter chips.
    chipless = ("sort", "per_page", "page")

    def search(self, queryset, name, value):
        """Any search field contains the text, whatever its accents and case (see
        leadit.sections.search). The stored search text holds no internal field, so nobody
        finds a record by what they may not read; those who see internal fields also search
        the record's own internal text (case-blind, not accent-blind: it has no folded copy; a
        scan, but of small tables: the pipeline's projects have no internal text). Unless a
        sort is chosen, the best matches come first. A page of them is read in two passes
        (`in_two_passes`): a common term matches a fifth of the rows, which all need ordering."""
        query = text_search(queryset.model, self.search_fields, value)
        if self.sees_internal:
            for field in internal_text_fields(queryset.model):
                query |= Q(**{f"{field}__icontains": value})
        queryset = queryset.filter(query)
        if self.current_sort:
            return in_two_passes(queryset)
        return by_relevance(queryset, self.search_fields, value)

    def filter_unverified(self, queryset, name, value):
        """Never verified, or not for `value` months: the review queue of each section."""
        return queryset.filter(not_verified(value))

    def sort_by(self, queryset, name, value):
        field = self.sort_fields.get(value.lstrip("-"))
        if field is None:
            return queryset
        return queryset.order_by(*sort_order(queryset.model, field, value.startswith("-")))

    @property
    def current_sort(self) -> str:
        value = self.data.get("sort", "") if self.data else ""
        return value if value.lstrip("-") in self.sort_fields else ""

    @property
    def narrows(self) -> bool:
        """Whether a filter is in use (sorting, the page size and the page are not filters).
        Unsure (a value of a kind not listed here) counts as in use."""
        if not self.is_bound:
            return False
        return any(
            not value.query.is_empty()  # a multiple choice of records: none() when empty
            if isinstance(value, QuerySet)
            else value not in EMPTY_VALUES
            for name, value in self.form.cleaned_data.items()
            if name not in self.chipless
        )

    def active_filters(self) -> list[dict]:
        """One removable chip per filter value in use, each with the URL without it."""
        if not self.is_bound:
            return []
        chips = []
        data = self.data
        form = self.form
        for name, field in form.fields.items():
            if name in self.chipless or name not in data:
                continue
            # A single-valued filter uses the last value given; only that one is a chip.
            given = (
                data.getlist(name)
                if isinstance(field, forms.MultipleChoiceField)
                else [data.get(name, "")]
            )
            values = [v for v in given if v.strip()]
            for value in values:
                remaining = data.copy()
                remaining.setlist(name, [v for v in values if v != value])
                remaining.pop("page", None)
                chips.append(
                    {
                        "label": field.label or name,
                        "value": self._value_label(name, field, value),
                        "remove_url": "?" + remaining.urlencode(),
                    }
                )
        return chips

    def _value_label(self, name: str, field, value: str) -> str:
        """What a chip shows for a value: the record or option label, found among what the
        form has already loaded (no query per chip); an amount as pages write it (1,200)."""
        if self._filters_money(name):
            return money_as_typed(value)
        if hasattr(field, "queryset"):
            key = getattr(field, "to_field_name", None) or "pk"
            chosen = self.form.cleaned_data.get(name)
            records = chosen if isinstance(chosen, QuerySet | list | tuple) else [chosen]
            for record in records:
                if record is not None and str(getattr(record, key, "")) == value:
                    return str(record)
            return value
        # The options shown, then those accepted (a country filter lists the countries with
        # records but accepts any).
        for choices in (getattr(field.widget, "choices", ()), getattr(field, "choices", ())):
            for option, label in choices:
                if str(option) == value:
                    return str(label)
        return value

    def _filters_money(self, name: str) -> bool:
        """Whether the filter `name` compares an amount of money (capex from, gap at least)."""
        field_name = getattr(self.filters.get(name), "field_name", None)
        try:
            model_field = self._meta.model._meta.get_field(field_name) if field_name else None
        except FieldDoesNotExist:
            return False
        return getattr(model_field, "concrete", False) and field_kind(model_field) == "money"


def internal_text_fields(model) -> list[str]:
    """The model's own internal text fields (notes), from its declaration."""
    declaration = declaration_for(model)
    return [
        column.name
        for column in declaration.columns
        if column.internal and column.kind in ("text", "longtext") and "." not in column.key
    ]


class FragmentListMixin:
    """A filtered list served whole or, to htmx, as its `fragment` partial alone, from one URL
    (so the answer varies with the htmx headers); invalid filters answer 422."""

    fragment = "results"

    @property
    def filters_ok(self) -> bool:
        """No filters given, or all of them valid."""
        return not self.filterset.is_bound or self.filterset.is_valid()

    def get_template_names(self) -> list[str]:
        names = [self.template_name]
        if wants_fragment(self.request, self.fragment):
            return [f"{name}#{self.fragment}" for name in names]
        return names

    def render_to_response(self, context, **kwargs):
        if not self.filters_ok:
            kwargs["status"] = 422  # bad filter input: errors shown by the fields, never a 500
        response = super().render_to_response(context, **kwargs)
        patch_vary_headers(response, ("HX-Request", "HX-Target"))
        return response


class FilteredListView(FragmentListMixin, PermissionMixin, FilterView):
    """A filterable, sortable, paginated list; the `results` partial alone for htmx."""

    template_name = "generic/object_list.html"
    columns: list = []
    # On phones each row reads as a card of these column keys, in this order (None: every
    # column, as in the table); the rest of the columns stay on the table for wider screens.
    card_columns: tuple[str, ...] | None = None
    summary_template: str | None = None
    title: str = ""
    intro: str = ""
    strict = True  # an invalid filter shows no rows, never unfiltered ones
    export: str | None = None  # "csv" or "xlsx": every filtered row
    export_name: str = ""  # the file's name: leadit-<name>-<date>.csv; default the model's
    background_progress = None  # set when the background worker runs the export (leadit.jobs)
    # What staff can do to selected rows (leadit.sections.bulk); None: verify (when the model
    # has a last-verified date) and delete.
    bulk_actions: tuple | None = None
    # The fields the table's own columns read (with `relation__field` for what names a related
    # record), for a wide model with many rows: the page's query then loads only these, plus
    # the fields of columns a reader adds. None: every field.
    row_fields: tuple[str, ...] | None = None

    def get(self, request, *args, **kwargs):
        if not self.export:
            return super().get(request, *args, **kwargs)
        require_perm(request.user, "view", self.model)  # a file of the records, as the page
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filters_ok:
            errors = "; ".join(
                f"{name}: {' '.join(e)}" for name, e in self.filterset.form.errors.items()
            )
            return HttpResponse(
                f"Some filters are not valid: {errors}", status=422, content_type="text/plain"
            )
        queryset = self.filterset.qs
        if self.background_progress:  # the background worker makes this export
            queryset = counting(queryset, self.background_progress)
        else:
            rows = queryset.count()
            if rows > settings.EXPORT_INLINE_MAX_ROWS:
                # Too large for a request's time limit: the worker makes it.
                job = hand_over(request, self, rows)
                return HttpResponseRedirect(job.get_absolute_url(), status=303)
        return self.export_response(queryset)

    @property
    def list_name(self) -> str:
        return self.request.resolver_match.view_name

    def saved_columns(self) -> list[str] | None:
        """The columns this user saved as their default for this list (names), or None."""
        return column_defaults(self.request).get(self.list_name)

    def export_response(self, queryset):
        """Every filtered row, every declared column (not only the table's), as CSV or Excel."""
        declaration = declaration_for(self.model)
        columns = declaration.columns_for(self.request.user)  # internal ones for the Secretariat
        rows = declaration.export_queryset(queryset).iterator(chunk_size=2000)
        name = self.export_name or self.model._meta.model_name
        if self.export == "xlsx":
            title = self.title or capfirst(self.model._meta.verbose_name_plural)
            return xlsx_response(
                columns, rows, self.export_about(), title, export_filename(name, "xlsx")
            )
        header = [column.header for column in columns]
        body = ([neutralise(column.text(obj)) for column in columns] for obj in rows)
        return stream_csv(itertools.chain([header], body), name)

    def export_about(self) -> list[tuple[str, object]]:
        """What the "About this export" sheet says: what, which filters, where, who, when."""
        request, meta = self.request, self.model._meta
        chips = self.filterset.active_filters()
        filters = "; ".join(f"{chip['label']}: {chip['value']}" for chip in chips)
        query = request.GET.urlencode()
        page = url_of(self.model, "list") + (f"?{query}" if query else "")
        user = request.user
        return [
            ("Export of", self.title or capfirst(meta.verbose_name_plural)),
            ("Filters", filters or "None: every record"),
            ("Page", request.build_absolute_uri(page)),
            ("Exported by", user.get_full_name() or user.get_username()),
            ("Exported at", f"{timezone.localtime():%Y-%m-%d %H:%M %Z}"),
            (
                "Reading it",
                "Amounts are in USD million; 'not disclosed' means the source gives no figure. "
                "The columns are explained in the tracker's docs/data-exchange.md.",
            ),
        ]

    def get_paginate_by(self, queryset) -> int:
        filterset = getattr(self, "filterset", None)
        if filterset is not None and filterset.is_valid():
            return filterset.form.cleaned_data.get("per_page") or DEFAULT_PER_PAGE
        return DEFAULT_PER_PAGE

    def known_count(self, queryset) -> int | None:
        """The number of rows, when the list computes it anyway (saves the paginator's COUNT)."""
        return None

    @cached_property
    def own_columns(self) -> list:
        """The list's own columns this user may read: the Secretariat's internal ones (an
        engagement's owner) only for those who see them."""
        readable = {c.name for c in declaration_for(self.model).columns_for(self.request.user)}
        return [c for c in self.columns if not c.internal or c.name in readable]

    @cached_property
    def column_options(self) -> dict:
        """{name: column} of every column this user may show in the table: the list's own, in
        their order, then every other declared column they may read (leadit.sections.columns)."""
        options = {column.name: column for column in self.own_columns}
        # A declared column that an own one already shows, under another name: the contacts'
        # "organisation.name" is the "organisation" column, the organisations' Type (sorted by
        # org_type) is "org_type".
        shown = {c.sort for c in self.own_columns if c.sort} | {
            c.key.removesuffix(".name") for c in self.own_columns
        }
        for column in declaration_for(self.model).columns_for(self.request.user):
            if column.name != "id" and column.name not in shown:
                options.setdefault(column.name, column)
        return options

    @cached_property
    def chosen_columns(self) -> list[str] | None:
        """The names the table shows after the first: the `columns` parameter (a view to share
        or bookmark), else the user's saved default; None: the list's own columns."""
        chosen = self.request.GET.getlist("columns")
        # A link naming nothing the list has (emptied by hand, or every name stale) opens the
        # list as it would open without it, not as its name column alone.
        if any(name in self.column_options for name in chosen):
            return chosen
        return self.saved_columns()

    @cached_property
    def table_columns(self) -> list:
        """The table's columns: the list's own, or those chosen (any column the list offers;
        unknown names are passed over, so an old link still opens; the first column, which
        links to the record, always stays)."""
        return self.columns_from(self.chosen_columns)

    def columns_from(self, chosen: list[str] | None) -> list:
        columns = self.own_columns
        if chosen is None or not columns:
            return columns
        first, options = columns[0], self.column_options
        names = [n for n in dict.fromkeys(chosen) if n in options and n != first.name]
        return [first] + [options[name] for name in names]

    def column_choices(self) -> list[dict]:
        """The Columns control's checkboxes: every column offered, the shown ones checked; the
        list's own first (`own`), then the others."""
        shown = {column.name for column in self.table_columns}
        own = {column.name for column in self.own_columns}
        first = self.own_columns[0].name
        return [
            {
                "name": name,
                "label": spelled_out(column.label) + (f" ({column.unit})" if column.unit else ""),
                "shown": name in shown,
                "own": name in own,
                "first": name == first,
            }
            for name, column in self.column_options.items()
        ]

    def paginate_queryset(self, queryset, page_size):
        count = self.known_count(queryset)
        # What the chosen columns read, for the page's rows only (not for the count).
        queryset = declaration_for(self.model).for_columns(queryset, self.table_columns)
        fields = self.page_fields()
        if fields is not None:
            queryset = queryset.only(*fields)
        # An out-of-range or malformed page shows the nearest page instead of a 404.
        paginator = Paginator(queryset, page_size, allow_empty_first_page=True)
        if count is not None:
            paginator.count = count  # a cached_property: set, it is not queried
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def page_fields(self) -> list[str] | None:
        """What the page's rows load: `row_fields`, and the field of each column a reader
        added; None (every field) when an added column is not a plain field of the model (a
        derived value may read any)."""
        if self.row_fields is None:
            return None
        fields = list(self.row_fields)
        own = {column.name for column in self.own_columns}
        for column in self.table_columns:
            if column.name in own:
                continue
            try:
                field = self.model._meta.get_field(column.key)
            except FieldDoesNotExist:
                return None
            if not field.concrete or field.many_to_many:
                return None
            fields.append(field.name)
        return fields

    def columns_state(self) -> str:
        """What the Columns control says of the columns shown."""
        saved = self.saved_columns()
        if "columns" not in self.request.GET:
            return "list" if saved is None else "yours"
        if self.table_columns == self.columns_from(saved):
            return "list" if saved is None else "yours"
        return "unsaved"

    def create_url(self) -> str | None:
        if not can(self.request.user, "add", self.model):
            return None
        return url_of(self.model, "create")

    def propose_url(self) -> str | None:
        """A focal point's "Propose a new <record>" (leadit.proposals), where offered."""
        from leadit.proposals.records import new_record_url

        return new_record_url(self.model, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        q = query.urlencode()
        context.update(
            title=self.title or self.model._meta.verbose_name_plural.capitalize(),
            intro=self.intro,
            columns=self.table_columns,
            column_choices=self.column_choices() if self.own_columns else [],
            # The URL's own choice of columns, carried by the filters form (one list state).
            columns_in_url=self.request.GET.getlist("columns"),
            columns_state=self.columns_state(),
            card_order=card_order(self.table_columns, self.card_columns, self.own_columns),
            list_name=self.list_name,
            sort_options=sort_options(self.table_columns, filterset.current_sort),
            summary_template=self.summary_template,
            chips=filterset.active_filters() if self.filters_ok else [],
            current_sort=filterset.current_sort,
            query_string=query.urlencode(),
            list_url=self.request.path,
            exports=[
                {"label": EXPORT_LABELS[fmt], "url": f"{url_of(self.model, f'export_{fmt}')}?{q}"}
                for fmt in section_of(self.model).exports
            ],
            create_url=self.create_url,  # called by the template, so fragments skip the query
            propose_url=self.propose_url,
            verbose_name=self.model._meta.verbose_name,
            verbose_name_plural=self.model._meta.verbose_name_plural,
        )
        from .bulk import bulk_context  # bulk imports this module

        context.update(bulk_context(self))
        # The rows' cells, with what is the same down each column worked out once.
        columns, current_sort = context["columns"], context["current_sort"]
        sortable = [column.sort for column in columns if column.sort]
        context["table_rows"] = TableRows(
            columns,
            context["card_order"],
            bulk=bool(context["bulk_actions"]),
            sort_links=sort_urls(self.request.GET, sortable, current_sort),
            current_sort=current_sort,
            rows=context["page_obj"].object_list,
            sort_options=context["sort_options"],
        )
        return context


# The session's copy of the user's saved columns: {list name: names shown after the first}.
COLUMN_DEFAULTS = "column_defaults"


def list_view(list_name: str, request=None):
    """The FilteredListView of a list's URL name (set up for `request`), or None."""
    try:
        func = resolve(reverse(list_name)).func
    except NoReverseMatch:
        return None
    view_class = getattr(func, "view_class", None)
    if not (view_class and issubclass(view_class, FilteredListView) and view_class.columns):
        return None
    view = view_class(**getattr(func, "view_initkwargs", {}))
    if view.export:  # a file of the list, not a page
        return None
    if request is not None:
        view.setup(request)
    return view


def load_column_choices(sender, request, user, **kwargs):
    """At log-in: copy the user's saved columns into the session (see column_defaults)."""
    defaults = {}
    for choice in ColumnChoice.objects.filter(user=user):
        view = list_view(choice.list_name)
        if view is not None:
            defaults[choice.list_name] = choice.shown_names(view.columns)
    request.session.pop("column_choices", None)  # the copy of the choices before one control
    request.session[COLUMN_DEFAULTS] = defaults


def column_defaults(request) -> dict[str, list[str]]:
    """{list name: the column names the user saved for it}. Kept in the database, so the choice
    follows them to any computer; the session holds a copy from log-in, so a list page costs no
    query more (a session from before this copy reads them once)."""
    defaults = request.session.get(COLUMN_DEFAULTS)
    if defaults is None:
        load_column_choices(None, request, request.user)
        defaults = request.session[COLUMN_DEFAULTS]
    return defaults


def tracker_reader(view):
    """Pages of the user's own (their column choices): for users who may read the tracker."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not any(request.user.has_module_perms(app) for app in TRACKER_APPS):
            raise PermissionDenied("You may not read the tracker's records.")
        return view(request, *args, **kwargs)

    return checked


@tracker_reader
@require_POST
def save_columns(request):
    """The Columns control of a list page: "Save as my default" keeps the columns ticked
    (`columns`, by name) as this user's own for the list, on any computer; "Reset to default"
    (`reset`) forgets them, back to the list's own columns. Then back to the list, filters and
    sort kept, without a `columns` parameter (the list now opens that way)."""
    list_name = request.POST.get("list", "")
    view = list_view(list_name, request)
    if view is None:
        return HttpResponse("No such list.", status=422, content_type="text/plain")
    require_perm(request.user, "view", view.model)
    list_url = reverse(list_name)
    if "reset" in request.POST:
        ColumnChoice.objects.filter(user=request.user, list_name=list_name).delete()
        defaults = dict(column_defaults(request))
        defaults.pop(list_name, None)
        request.session[COLUMN_DEFAULTS] = defaults
    else:
        first = view.own_columns[0].name
        chosen = list(dict.fromkeys(request.POST.getlist("columns")))
        unknown = [name for name in chosen if name not in view.column_options]
        if unknown:  # or one this user may not read: the same answer
            message = f"No such column: {', '.join(sorted(unknown))}."
            return HttpResponse(message, status=422, content_type="text/plain")
        shown = [name for name in chosen if name != first]  # the first always shows
        ColumnChoice.objects.update_or_create(
            user=request.user, list_name=list_name, defaults={"shown": shown, "hidden": []}
        )
        request.session[COLUMN_DEFAULTS] = {**column_defaults(request), list_name: shown}
    back = request.POST.get("next", "")
    if not (back.startswith(list_url + "?") or back == list_url):
        back = list_url  # only ever back to the same list, never elsewhere
    path, _, query = back.partition("?")
    query = QueryDict(query, mutable=True)
    query.pop("columns", None)
    query = query.urlencode()
    return HttpResponseRedirect(f"{path}?{query}" if query else path, status=303)


def card_order(columns, keys, own=()) -> dict:
    """Column key -> its place on a phone card (1 is the card's title): the list's
    card_columns (`keys`; None: the table's columns in order), then the columns a reader added
    to the list's own (`own`), after them ("more" past the twelfth)."""
    if keys is None:
        keys = [c.key for c in columns]
    else:
        own_keys = {c.key for c in own}
        keys = list(keys) + [c.key for c in columns if c.key not in own_keys]
    return {key: place if place <= 12 else "more" for place, key in enumerate(keys, start=1)}


SORT_WORDS = {
    "money": ("smallest first", "largest first"),
    "number": ("smallest first", "largest first"),
    "year": ("earliest first", "latest first"),
    "date": ("oldest first", "newest first"),
    "badge": ("earliest stage first", "latest stage first"),
}


def sort_options(columns, current: str) -> list[dict]:
    """The "Sort by" choices of a list (for phones, where there are no column headers)."""
    options = [{"value": "", "label": "Default order", "selected": not current}]
    for column in columns:
        if not column.sort:
            continue
        up, down = SORT_WORDS.get(column.kind, ("A to Z", "Z to A"))
        for value, words in ((column.sort, up), (f"-{column.sort}", down)):
            label = f"{spelled_out(column.label)}, {words}"  # no hover in a select: "Comm." in full
            options.append({"value": value, "label": label, "selected": value == current})
    return options


def sort_urls(query: QueryDict, keys, current: str) -> dict[str, str]:
    """The URL that sorts by each key (the other way when it is the current sort), keeping the
    other parameters but the page, in name order; each parameter is encoded once for all."""
    encoded = {
        name: urlencode([(name, values)], doseq=True)
        for name, values in query.lists()
        if name not in ("page", "sort")
    }
    urls = {}
    for key in keys:
        wanted = f"-{key}" if current == key else key
        params = {**encoded, "sort": urlencode([("sort", wanted)])}
        urls[key] = "?" + "&".join(params[name] for name in sorted(params) if params[name])
    return urls


def record_facts(obj, exclude=(), user=None) -> list[tuple[str, object]]:
    """(heading, display value) for each declared column of a record the user may read, links
    made safe."""
    return declaration_for(type(obj)).facts(obj, exclude, user)


class RecordDetailView(PermissionMixin, DetailView):
    """A record's page, with edit and delete links for those allowed to use them."""

    template_name = "generic/object_detail.html"
    facts_exclude: tuple[str, ...] = ()  # columns the page shows elsewhere (its heading...)

    def get_object(self, queryset=None):
        # The derived facts (e.g. a country's region) come with the record: no query each.
        from leadit.proposals.records import with_pending

        queryset = queryset if queryset is not None else self.get_queryset()
        queryset = declaration_for(self.model).annotate(queryset)
        # The proposals pending on it come along too (leadit.proposals).
        return super().get_object(with_pending(queryset, self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user

        def url(view: str, permission: str) -> str | None:
            """The URL of an edit/delete page, only for those allowed to use it."""
            if not can(user, permission, self.model):
                return None
            return url_of(self.model, view, self.object.pk)

        # A focal point's "Propose a change", and the proposals pending on this record.
        from leadit.proposals.records import record_proposals

        context.update(record_proposals(self.object, user))
        context.update(
            facts=record_facts(self.object, self.facts_exclude, user),
            # What other apps contribute to this kind of record page (leadit.sections.panels).
            panels=panels_for(self.object, user),
            edit_url=url("update", "change"),
            delete_url=url("delete", "delete"),
            list_url=url_of(self.model, "list"),
            list_label=list_label(self.model),
            verbose_name=self.model._meta.verbose_name,
            verbose_name_plural=self.model._meta.verbose_name_plural,
        )
        return context


class RecordHistoryView(PermissionMixin, DetailView):
    """A record's History tab: every change, who made it, old and new values side by side."""

    template_name = "generic/object_history.html"

    def get_context_data(self, **kwargs):
        from .history import record_history

        context = super().get_context_data(**kwargs)
        meta = self.model._meta
        context.update(
            entries=record_history(self.object, self.request.user),
            verbose_name=meta.verbose_name,
            verbose_name_plural=meta.verbose_name_plural,
            list_url=url_of(self.model, "list"),
            list_label=list_label(self.model),
        )
        return context
