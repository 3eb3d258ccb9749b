"""HTTP clients for SCB's PxWeb API v2 and Kolada API v3, polite and loud about failures.

Both go through ``HttpClient``: at most N calls per time window (SCB announces 3 per second in
``/config``), retries of 429 (waiting ``Retry-After``) and 5xx (with back-off), and clear
``FetchError`` messages for everything else: offline, HTML error pages, bad JSON, paging that
never ends. Nothing is skipped silently.
"""

from __future__ import annotations

import email.utils
import math
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from samverkan.core.jsonbounds import JsonRefused, json_loads, json_value_budget

SCB_URL = "https://statistikdatabasen.scb.se/api/v2"
KOLADA_URL = "https://api.kolada.se/v3"
USER_AGENT = "Samverkan/0.1 (+https://github.com/samverkan)"
MAX_RESPONSE_BYTES = 200 * 1024 * 1024  # far above SCB's and Kolada's largest answers


class FetchError(Exception):
    """A fetch failed; the message says which URL and why, in Swedish."""


class HttpClient:
    def __init__(
        self,
        base_url: str,
        *,
        calls_per_window: int = 3,
        window: float = 1.0,
        retries: int = 4,
        timeout: float = 30.0,
        max_wait: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.base_url = base_url.rstrip("/")
        self.calls_per_window = calls_per_window
        self.window = window
        self.retries = retries
        self.timeout = timeout
        self.max_wait = max_wait
        self.sleep = sleep
        self.clock = clock
        self.calls: deque[float] = deque()
        self.requests = 0

    def url(self, path: str, params: dict[str, str] | None = None) -> str:
        url = (
            path
            if path.startswith(("http://", "https://"))
            else f"{self.base_url}/{path.lstrip('/')}"
        )
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params, safe=",*")
        return url

    def _throttle(self) -> None:
        now = self.clock()
        while self.calls and now - self.calls[0] >= self.window:
            self.calls.popleft()
        if len(self.calls) >= self.calls_per_window:
            self.sleep(self.window - (now - self.calls[0]))
            self.calls.popleft()
        self.calls.append(self.clock())

    def get_json(self, path: str, params: dict[str, str] | None = None) -> Any:
        url = self.url(path, params)
        if not url.startswith(("http://", "https://")):
            raise FetchError(_("ogiltig adress: %s") % url)
        for attempt in range(self.retries + 1):
            self._throttle()
            self.requests += 1
            request = urllib.request.Request(  # noqa: S310 (http(s) checked above)
                url,
                headers={
                    "Accept": "application/json",
                    "User-Agent": USER_AGENT,
                },
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 # nosec B310
                    return self._decode(
                        url,
                        response.status,
                        response.headers.get("Content-Type", ""),
                        response.read(MAX_RESPONSE_BYTES + 1),
                    )
            except urllib.error.HTTPError as exc:
                if attempt < self.retries and (exc.code == 429 or exc.code >= 500):
                    self.sleep(self._wait(exc, attempt))
                    continue
                body = exc.read()[:300].decode("utf-8", "replace")
                raise FetchError(
                    _("%(url)s svarade %(code)d efter %(n)d försök: %(body)s")
                    % {"url": url, "code": exc.code, "n": attempt + 1, "body": _summary(body)}
                ) from exc
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                reason = getattr(exc, "reason", exc)
                raise FetchError(
                    _("kunde inte nå %(url)s (%(reason)s); är datorn offline?")
                    % {"url": url, "reason": reason}
                ) from exc
        raise AssertionError("unreachable")

    def _wait(self, exc: urllib.error.HTTPError, attempt: int) -> float:
        header = exc.headers.get("Retry-After") if exc.headers else None
        if header:
            try:
                return min(self.max_wait, max(0.0, float(header)))
            except ValueError:
                parsed = email.utils.parsedate_to_datetime(header)
                if parsed is not None:
                    return min(self.max_wait, max(0.0, parsed.timestamp() - time.time()))
        return min(self.max_wait, 0.5 * 2**attempt)

    @staticmethod
    def _decode(url: str, status: int, content_type: str, body: bytes) -> Any:
        start = body.lstrip()[:20].lower()
        if "html" in content_type.lower() or start.startswith((b"<!doctype", b"<html", b"<")):
            raise FetchError(
                _(
                    "%(url)s svarade med en HTML-sida i stället för JSON (status "
                    "%(status)d): %(text)s"
                )
                % {
                    "url": url,
                    "status": status,
                    "text": _summary(body[:300].decode("utf-8", "replace")),
                }
            )
        if len(body) > MAX_RESPONSE_BYTES:
            raise FetchError(
                _("%(url)s svarade med mer än %(max)d MB; begär mindre i taget.")
                % {"url": url, "max": MAX_RESPONSE_BYTES // 2**20}
            )
        try:
            return json_loads(body, source=url, max_values=json_value_budget(MAX_RESPONSE_BYTES))
        except JsonRefused as exc:  # invalid, nested too deep or too many values; names the URL
            raise FetchError(str(exc)) from exc


def _summary(text: str) -> str:
    return " ".join(text.split())[:200]


# -- SCB PxWeb API v2 --------------------------------------------------------------------------


def selection_split(selection: dict[str, list[str]], max_cells: int) -> list[dict[str, list[str]]]:
    """Split a selection so that no part asks for more than ``max_cells`` cells."""
    cells = math.prod(len(codes) for codes in selection.values())
    if cells <= max_cells:
        return [selection]
    dim = max(selection, key=lambda name: len(selection[name]))
    others = cells // len(selection[dim])
    step = max(1, max_cells // others)
    parts: list[dict[str, list[str]]] = []
    for start in range(0, len(selection[dim]), step):
        parts += selection_split(
            {**selection, dim: selection[dim][start : start + step]}, max_cells
        )
    return parts


class ScbClient:
    """``/config``, ``/tables``, ``/tables/{id}/metadata`` and ``/tables/{id}/data``."""

    def __init__(
        self, base_url: str = SCB_URL, *, lang: str = "sv", http: HttpClient | None = None
    ):
        self.http = http or HttpClient(base_url)
        self.lang = lang
        self.max_cells = 150_000
        self._configured = False

    def config(self) -> dict[str, Any]:
        config = self.http.get_json("config")
        self.max_cells = int(config.get("maxDataCells") or self.max_cells)
        self.http.calls_per_window = int(config.get("maxCallsPerTimeWindow") or 3)
        self.http.window = float(config.get("timeWindow") or 1)
        self._configured = True
        return config

    def tables(self, query: str = "") -> list[dict[str, Any]]:
        params = {"lang": self.lang}
        if query:
            params["query"] = query
        return list(self.http.get_json("tables", params).get("tables", []))

    def metadata(self, table_id: str) -> dict[str, Any]:
        return self.http.get_json(
            f"tables/{urllib.parse.quote(table_id)}/metadata",
            {"lang": self.lang, "outputFormat": "json-stat2"},
        )

    def selection(self, table_id: str, wanted: dict[str, list[str]]) -> dict[str, list[str]]:
        """Explicit codes per variable: those asked for, all codes for the others."""
        meta = self.metadata(table_id)
        result: dict[str, list[str]] = {}
        for dim_id in meta.get("id", []):
            category = meta["dimension"][dim_id]["category"]
            index = category.get("index") or {}
            codes = (
                index if isinstance(index, list) else sorted(index, key=lambda code: index[code])
            )
            chosen = wanted.get(dim_id) or codes
            unknown = sorted(set(chosen) - set(codes))
            if unknown:
                raise FetchError(
                    _("%(table)s: okända koder för %(dim)s: %(codes)s")
                    % {"table": table_id, "dim": dim_id, "codes": ", ".join(unknown[:20])}
                )
            result[dim_id] = list(chosen)
        extra = sorted(set(wanted) - set(result))
        if extra:
            raise FetchError(
                _("%(table)s har inga variabler %(dims)s")
                % {"table": table_id, "dims": ", ".join(extra)}
            )
        return result

    def data(self, table_id: str, wanted: dict[str, list[str]]) -> Iterator[dict[str, Any]]:
        """JSON-stat 2.0 datasets, one per call, the selection split to respect ``/config``."""
        if not self._configured:
            self.config()
        selection = self.selection(table_id, wanted)
        for part in selection_split(selection, self.max_cells):
            params = {"lang": self.lang, "outputFormat": "json-stat2"}
            params.update({f"valueCodes[{dim}]": ",".join(codes) for dim, codes in part.items()})
            yield self.http.get_json(f"tables/{urllib.parse.quote(table_id)}/data", params)


# -- Kolada API v3 -----------------------------------------------------------------------------

KOLADA_MAX_IDS = 25


def _chunks(ids: list[str], size: int = KOLADA_MAX_IDS) -> list[list[str]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)] or [[]]


class KoladaClient:
    """``/kpi``, ``/municipality`` and ``/data/kpi/{ids}/municipality/{ids}/year/{years}``."""

    def __init__(
        self, base_url: str = KOLADA_URL, *, http: HttpClient | None = None, max_pages: int = 2000
    ):
        self.http = http or HttpClient(base_url, calls_per_window=5, window=1.0)
        self.max_pages = max_pages

    def paged(self, path: str, params: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
        url: str | None = self.http.url(path, params)
        seen: set[str] = set()
        while url:
            if url in seen:
                raise FetchError(
                    _("Kolada skickar samma sida igen (%s): avbryter i stället för att loopa") % url
                )
            if len(seen) >= self.max_pages:
                raise FetchError(_("Kolada gav fler än %d sidor: avbryter") % self.max_pages)
            seen.add(url)
            page = self.http.get_json(url)
            if not isinstance(page, dict) or not isinstance(page.get("values"), list):
                raise FetchError(_("%s: svaret saknar values (inget Kolada-svar?)") % url)
            yield from page["values"]
            url = page.get("next_url") or None

    def kpis(self, *, ids: list[str] | None = None, title: str = "") -> list[dict[str, Any]]:
        if ids:
            return [kpi for chunk in _chunks(ids) for kpi in self.paged(f"kpi/{','.join(chunk)}")]
        return list(self.paged("kpi", {"title": title} if title else None))

    def municipalities(self) -> list[dict[str, Any]]:
        return list(self.paged("municipality"))

    def data(
        self, *, kpis: list[str], municipalities: list[str], years: list[str]
    ) -> Iterator[dict[str, Any]]:
        for kpi_chunk in _chunks(kpis):
            for area_chunk in _chunks(municipalities):
                for year_chunk in _chunks(years):
                    path = (
                        f"data/kpi/{','.join(kpi_chunk)}/municipality/{','.join(area_chunk)}"
                        f"/year/{','.join(year_chunk)}"
                    )
                    yield from self.paged(path)


def kolada_records(items: Iterator[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Kolada data items → import records, grouped by KPI id."""
    records: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        kpi = str(item.get("kpi", ""))
        for value in item.get("values") or []:
            records.setdefault(kpi, []).append(
                {
                    "where": f"{kpi}/{item.get('municipality')}/{item.get('period')}",
                    "area": str(item.get("municipality", "")),
                    "period": str(item.get("period", "")),
                    "value": value.get("value"),
                    "status": value.get("status") or "",
                    "sex": value.get("gender") or "T",
                }
            )
    return records
