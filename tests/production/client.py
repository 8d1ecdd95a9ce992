"""A plain HTTP client for the production-shaped tests: speaks to gunicorn as the reverse proxy
would (the site's host name, `X-Forwarded-Proto: https`, the client's address appended to
`X-Forwarded-For`), keeps cookies, and reads the pages' forms so that a test fills a form by
what the page offers rather than by field names copied into the test."""

from __future__ import annotations

import http.client
import io
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

from openpyxl import load_workbook


@dataclass
class Field:
    name: str
    value: str = ""
    kind: str = "text"  # the input's type, "select" or "textarea"
    required: bool = False
    attrs: dict = field(default_factory=dict)
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label) of a select


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def data(self, **overrides) -> dict[str, str]:
        """What a browser submits: every named field with its current value (a select's first
        option when none is selected), then the overrides."""
        values = {}
        for f in self.fields:
            if f.kind in {"submit", "button", "file"}:
                continue
            value = f.value
            if f.kind == "select" and not value and f.options:
                value = f.options[0][0]
            values[f.name] = value
        values.update({name: str(value) for name, value in overrides.items()})
        return values


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: Field | None = None
        self._option: tuple[str, bool] | None = None
        self._option_text = ""
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "form":
            self.forms.append(Form(attrs.get("action", ""), attrs.get("method", "get").lower()))
            return
        if not self.forms or "name" not in attrs:
            if tag == "option" and self._select is not None:
                self._option = (attrs.get("value"), "selected" in attrs)
                self._option_text = ""
            return
        fields = self.forms[-1].fields
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            fields.append(
                Field(attrs["name"], attrs.get("value", ""), kind, "required" in attrs, attrs)
            )
        elif tag == "select":
            self._select = Field(attrs["name"], "", "select", "required" in attrs, attrs)
            fields.append(self._select)
        elif tag == "textarea":
            self._textarea = Field(attrs["name"], "", "textarea", "required" in attrs, attrs)
            fields.append(self._textarea)

    def handle_data(self, data):
        if self._option is not None:
            self._option_text += data
        elif self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select is not None:
            value, selected = self._option
            label = self._option_text.strip()
            value = label if value is None else value
            if value:  # crispy's "---------" placeholder has an empty value
                self._select.options.append((value, label))
            if selected:
                self._select.value = value
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)

    @property
    def forms(self) -> list[Form]:
        return forms_of(self.text)


class Client:
    """One user's browser behind the proxy."""

    def __init__(self, port: int, *, host: str, client_ip: str = "10.20.30.40"):
        self.port = port
        self.host = host
        self.client_ip = client_ip
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, url: str, data: dict | None = None, *, https: bool = True
    ) -> Response:
        path = urlsplit(url)._replace(scheme="", netloc="").geturl() or "/"
        headers = {"Host": self.host, "X-Forwarded-For": self.client_ip}
        if https:
            # What the proxy that terminates HTTPS sets (and overwrites if a client sent it).
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}"
            headers["Referer"] = f"https://{self.host}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, dict(raw.getheaders()), raw.read(), path)
            for header, value in raw.getheaders():
                if header.lower() == "set-cookie":
                    for name, morsel in SimpleCookie(value).items():
                        self.cookies[name] = morsel.value
        finally:
            connection.close()
        return response

    def get(self, url: str, *, follow: bool = True) -> Response:
        return self._follow(self.request("GET", url)) if follow else self.request("GET", url)

    def post(self, url: str, data: dict, *, follow: bool = True) -> Response:
        response = self.request("POST", url, data)
        return self._follow(response) if follow else response

    def submit(self, page: Response, form: Form, *, follow: bool = True, **overrides) -> Response:
        action = urljoin(page.url, form.action or page.url)
        data = form.data(**overrides)
        if form.method == "post":
            return self.post(action, data, follow=follow)
        return self.get(f"{action}?{urlencode(data)}", follow=follow)

    def _follow(self, response: Response) -> Response:
        for _hop in range(10):
            if response.status not in (301, 302, 303, 307):
                return response
            location = response.headers.get("Location", "")
            if location.startswith(("http://", "https://")):
                assert urlsplit(location).netloc == self.host, location
            response = self.request("GET", urljoin(response.url, location))
        raise AssertionError(f"too many redirects from {response.url}")

    def login(self, username: str, password: str) -> Response:
        page = self.get("/login/")
        assert page.status == 200, page.text[:1000]
        form = next(f for f in page.forms if any(x.kind == "password" for x in f.fields))
        user_field = next(f for f in form.fields if f.kind == "text")
        password_field = next(f for f in form.fields if f.kind == "password")
        response = self.submit(
            page, form, **{user_field.name: username, password_field.name: password}
        )
        assert "sessionid" in self.cookies, "the login did not open a session"
        return response


def workbook_cells(workbook: bytes) -> dict[str, list[tuple]]:
    """{sheet title: its rows of cell values}: what two workbooks must share to be equal."""
    book = load_workbook(io.BytesIO(workbook))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
