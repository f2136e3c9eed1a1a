"""Hostile uploads against a production-mode server: every answer a clear refusal within 10 s, no
worker above 500 MB, nothing left in the temporary directory.

    .venv/bin/python bench/hostile_uploads.py [--keep]

1. Generates each hostile file in a scratch directory: small on disk, large inside (a DOCX with
   200 MB of paragraphs, an XLSX with one shared string of 1 GB, an XLSX with a million rows, a
   150 MB CSV, a zip bomb, a deeply nested JSON, a PDF of 20.000 pages and one whose page unpacks
   to 60 MB, a text plan of 50.000 actions, a text without a plan, random bytes, ...), and the
   CBS 83648NED file as a control.
2. Starts gunicorn with the project's config/gunicorn.py and 2 workers, in production mode
   (OPENVEILIGHEID_ENV=production, DEBUG off), on a temporary SQLite database holding one user
   (the municipality's programme manager), a municipality, a plan and an action plan; its
   TMPDIR and upload directory are scratch directories of their own.
3. Logs in through the login form and sends each file to the upload forms it is meant for
   (figures, plan, action sheet). The figures import reads the file outside the request and the
   page polls it: the time is until the refusal (or the preview) is on the page.
4. Prints per file and form: the HTTP answer and message, the time, the peak memory (RSS) of the
   gunicorn workers and of the reading process, and the files left in the temporary directory.

Only ever talks to 127.0.0.1; gunicorn (and whatever it started) is stopped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import io
import os
import random
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from harness import REPO, BenchError, Server, log, manage

MB = 1024 * 1024
CBS_FILE = REPO / "src/openveiligheid/demo/open_data/cbs_83648NED_misdrijven_gemeente_2010_2020.csv"
PASSWORD = "bench-" + secrets.token_hex(8)
TARGET_SECONDS, TARGET_MB = 10.0, 500


# --------------------------------------------------------------------------------------------
# Hostile files


@dataclass
class Hostile:
    name: str  # file name as uploaded
    what: str
    forms: tuple[str, ...]
    path: Path | None = None


def _zip_part_stream(archive: zipfile.ZipFile, name: str, chunk: bytes, total: int) -> None:
    with archive.open(name, "w", force_zip64=True) as part:
        written = 0
        while written < total:
            part.write(chunk)
            written += len(chunk)


def docx_200mb(path: Path) -> None:
    paragraph = b"<w:p><w:r><w:t>Actie: inzet van handhaving in de wijk.</w:t></w:r></w:p>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<w:document xmlns:w="x"><w:body>')
            for _ in range(200 * MB // (len(paragraph) * 1000)):
                part.write(paragraph * 1000)
            part.write(b"</w:body></w:document>")


def xlsx_1gb_shared_string(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<sst count="1" uniqueCount="1"><si><t>')
            chunk = b"a" * MB
            for _ in range(1024):
                part.write(chunk)
            part.write(b"</t></si></sst>")


_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_SHEET}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SHEET}.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{_DOC}"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def xlsx_million_rows(path: Path) -> None:
    """A real workbook (openpyxl opens it) with a header and a million rows, written as XML."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Actie</t></is></c>'
                b'<c r="B1" t="inlineStr"><is><t>Aantal</t></is></c></row>'
            )
            rows = []
            for number in range(2, 1_000_002):
                rows.append(f'<row r="{number}"><c r="A{number}"><v>{number}</v></c></row>')
                if len(rows) == 10000:
                    part.write("".join(rows).encode())
                    rows = []
            part.write("".join(rows).encode() + b"</sheetData></worksheet>")


def csv_150mb(path: Path) -> None:
    line = b"GM0200;2022;Woninginbraak;12\n"
    with path.open("wb") as out:
        out.write(b"RegioS;Perioden;Soort;Aantal\n")
        block = line * 10000
        for _ in range(150 * MB // len(block)):
            out.write(block)


def csv_many_rows(path: Path) -> None:
    with path.open("wb") as out:
        out.write(b"RegioS;Perioden;Aantal\n")
        out.write(b"GM0200;2022;1\n" * 1_400_000)


def csv_long_line(path: Path) -> None:
    path.write_bytes(b"RegioS;Perioden;Aantal\nGM0200;2022;" + b"9" * (15 * MB) + b"\n")


def zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        _zip_part_stream(archive, "cijfers.csv", b"\0" * MB, 1024 * MB)


def json_deep(path: Path) -> None:
    path.write_bytes(b"[" * (2 * MB) + b"]" * (2 * MB))


def json_many_values(path: Path) -> None:
    path.write_bytes(b'{"value": [' + b"0," * (9 * MB) + b"0]}")


def pdf_many_pages(path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(20_000):
        writer.add_blank_page(width=595, height=842)
    with path.open("wb") as out:
        writer.write(out)


def pdf_big_page(path: Path) -> None:
    """One page whose content stream unpacks to 60 MB of text operators."""
    import zlib

    text = b"BT /F1 12 Tf 72 712 Td (Actie woninginbraak aanpak) Tj ET\n" * (60 * MB // 57)
    stream = zlib.compress(text, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    path.write_bytes(out.getvalue())


def text_plan_50000_actions(path: Path) -> None:
    """A plan as text whose action table has 50.000 rows: small, and slow to extract."""
    rng = random.Random(5)
    rows = "".join(
        f"{number}\tActie {number} aanpak woninginbraak {rng.random():.6f}\tGemeente\tPolitie"
        f"\tQ{1 + number % 4} 2024\n"
        for number in range(50_000)
    )
    text = "Uitvoeringsplan 2024\nThema veiligheid\nNr\tActie\tTrekker\tPartners\tWanneer\n"
    path.write_text(text + rows, encoding="utf-8")


def text_without_plan(path: Path) -> None:
    words = ["melk", "brood", "kaas", "appels", "koffie", "thee", "rijst", "pasta"]
    rng = random.Random(9)
    path.write_text(
        "Boodschappenlijst\n" + "\n".join(rng.choice(words) for _ in range(20000)) + "\n",
        encoding="utf-8",
    )


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(MB))


def docx_many_paragraphs(path: Path) -> None:
    """A real DOCX (python-docx opens it) with 150.000 short, varied paragraphs."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    rng = random.Random(3)
    words = ["actie", "wijk", "politie", "gemeente", "toezicht", "jeugd", "overlast", "plan"]
    body = "".join(
        "<w:p><w:r><w:t>"
        + " ".join(rng.choice(words) for _ in range(4))
        + f" {number}</w:t></w:r></w:p>"
        for number in range(150_000)
    )
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode()
                start = text.index("<w:body>") + len("<w:body>")
                data = (text[:start] + body + text[start:]).encode()
            out.writestr(item, data)


FILES: list[tuple[Hostile, object]] = [
    (Hostile("docx-200mb-alineas.docx", "DOCX, 200 MB paragraphs inside", ("plan",)), docx_200mb),
    (
        Hostile(
            "xlsx-1gb-gedeelde-tekst.xlsx",
            "XLSX, one shared string of 1 GB",
            ("figures", "plan", "actions"),
        ),
        xlsx_1gb_shared_string,
    ),
    (
        Hostile("xlsx-miljoen-rijen.xlsx", "XLSX, a million rows", ("figures", "plan", "actions")),
        xlsx_million_rows,
    ),
    (Hostile("csv-150mb.csv", "CSV of 150 MB", ("figures",)), csv_150mb),
    (
        Hostile("csv-1,4-miljoen-regels.csv", "CSV, 1.4 million rows (19 MB)", ("figures",)),
        csv_many_rows,
    ),
    (Hostile("csv-lange-regel.csv", "CSV, one line of 15 MB", ("figures",)), csv_long_line),
    (Hostile("zipbom.zip", "zip bomb, 1 GB of zeros", ("figures",)), zip_bomb),
    (Hostile("zipbom.docx", "zip bomb named .docx", ("plan",)), zip_bomb),
    (Hostile("diep.json", "JSON nested 2 million deep", ("figures",)), json_deep),
    (Hostile("veel-waarden.json", "JSON with 9 million values", ("figures",)), json_many_values),
    (Hostile("pdf-20000-paginas.pdf", "PDF of 20.000 pages", ("plan",)), pdf_many_pages),
    (Hostile("pdf-grote-pagina.pdf", "PDF, one page of 60 MB text", ("plan",)), pdf_big_page),
    (
        Hostile("docx-150000-alineas.docx", "DOCX, 150.000 paragraphs", ("plan",)),
        docx_many_paragraphs,
    ),
    (
        Hostile("plan-50000-acties.txt", "text plan, 50.000 action rows", ("plan",)),
        text_plan_50000_actions,
    ),
    (Hostile("boodschappen.txt", "text without a plan", ("plan",)), text_without_plan),
    (Hostile("willekeurig.txt", "1 MB random bytes as .txt", ("plan",)), random_bytes),
    (Hostile(CBS_FILE.name, "control: CBS 83648NED (not hostile)", ("figures",)), None),
]


def generate(directory: Path) -> list[Hostile]:
    files = []
    for hostile, make in FILES:
        if make is None:
            hostile.path = CBS_FILE
        else:
            hostile.path = directory / hostile.name
            started = time.perf_counter()
            if not hostile.path.exists():  # --files: made by an earlier run
                make(hostile.path)
            log(
                f"  {hostile.name}: {hostile.path.stat().st_size / MB:.2f} MB on disk "
                f"({time.perf_counter() - started:.1f} s)"
            )
        files.append(hostile)
    return files


# --------------------------------------------------------------------------------------------
# Server


SETUP = """
from django.contrib.auth import get_user_model
from openveiligheid.actions.services import create_action_plan
from openveiligheid.organisations.models import Organisation
from openveiligheid.plans.services import create_plan
org = Organisation.objects.create(
    kind="municipality", name="Apeldoorn", slug="apeldoorn", cbs_code="GM0200")
from openveiligheid.organisations.permissions import TWO_FACTOR_PERMISSIONS
from openveiligheid.organisations.services import grant_membership, role_by_slug
# A programme manager (plans, figures, actions) without the meldpunt's rights: a superuser, or a
# user who reads reports, would also need a second factor.
user = get_user_model().objects.create_user("bench", "bench@example.org", "{password}")
grant_membership(user=user, organisation=org, role_slug="programme_manager")
role = role_by_slug(org, "programme_manager")
role.permissions = [code for code in role.permissions if code not in TWO_FACTOR_PERMISSIONS]
role.save(update_fields=["permissions"])
plan = create_plan(slug="bench-plan", title="Uitvoeringsplan 2026", kind="execution_plan",
    period_start=2026, period_end=2026, owner=org, status="draft")
action_plan = create_action_plan(plan=plan, title="Acties 2026", year_start=2026, year_end=2026)
print(org.pk, action_plan.pk)
"""


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(part) for part in text.split()]


def _memory_mb(pid: int, key: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass
class Monitor:
    """Samples the RSS of the workers and the peak (VmHWM) of the reading processes they start."""

    master: int
    worker_peak: float = 0.0
    reader_peak: float = 0.0
    readers: set[int] = field(default_factory=set)
    _stop: threading.Event = field(default_factory=threading.Event)

    def reset(self) -> None:
        self.worker_peak = self.reader_peak = 0.0

    def run(self) -> None:
        while not self._stop.wait(0.02):
            for worker in _children(self.master):
                self.worker_peak = max(self.worker_peak, _memory_mb(worker, "VmRSS"))
                for reader in _children(worker):
                    self.readers.add(reader)
                    self.reader_peak = max(self.reader_peak, _memory_mb(reader, "VmHWM"))

    def start(self) -> None:
        threading.Thread(target=self.run, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        for pid in self.readers:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


# --------------------------------------------------------------------------------------------
# HTTP


class Client:
    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body=None, headers=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
        except (BrokenPipeError, ConnectionResetError):
            # The server answered (413) and closed before the whole body was sent.
            response = conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, response.headers, data.decode("utf-8", "replace")

    def csrf(self, path: str) -> str:
        _status, _headers, page = self.request("GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match:
            raise BenchError(f"no CSRF token on {path}")
        return match.group(1)

    def login(self) -> None:
        token = self.csrf("/accounts/login/")
        form = urlencode({"username": "bench", "password": PASSWORD, "csrfmiddlewaretoken": token})
        status, _h, _p = self.request(
            "POST", "/accounts/login/", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 302:
            raise BenchError(f"login gave {status}")

    def post_file(self, path: str, fields: dict, name: str, content: bytes):
        token = self.csrf(path)
        boundary = "----ov" + secrets.token_hex(12)
        parts = []
        for key, value in {**fields, "csrfmiddlewaretoken": token}.items():
            disposition = f'Content-Disposition: form-data; name="{key}"'
            parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        body = b"".join(parts) + content + f"\r\n--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"http://127.0.0.1:{self.port}{path}",
        }
        return self.request("POST", path, body, headers, timeout=120)


def message_of(page: str) -> str:
    for pattern in (
        r'class="ov-form-field__error">(.*?)</p>',
        r'utrecht-alert--error"[^>]*>\s*<p class="utrecht-paragraph">(.*?)</p>',
        r'<li class="[^"]*error[^"]*">(.*?)</li>',
        r"<h1[^>]*>(.*?)</h1>",
    ):
        match = re.search(pattern, page, re.S)
        if match:
            return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()
    return page[:120].strip()


# --------------------------------------------------------------------------------------------
# Run


@dataclass
class Outcome:
    file: Hostile
    form: str
    status: str
    message: str
    seconds: float
    worker_mb: float
    reader_mb: float
    temp_left: int


def send(client: Client, hostile: Hostile, form: str, ids: dict) -> tuple[str, str]:
    content = hostile.path.read_bytes()
    if form == "figures":
        status, headers, page = client.post_file(
            "/cijfers/importeren/", {"source": "auto"}, hostile.name, content
        )
        if status != 302:
            return str(status), message_of(page)
        location = headers["Location"]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            _s, _h, page = client.request("GET", location)
            if "<progress" not in page:
                ids["last_preview"] = location
                return f"302 → {_s}", message_of(page)
            time.sleep(0.2)
        return "302 → still reading", ""
    if form == "plan":
        status, headers, page = client.post_file(
            "/plan-importeren/",
            {"organisation": ids["organisation"], "plan": "", "year": ""},
            hostile.name,
            content,
        )
    else:
        status, headers, page = client.post_file(
            "/plannen/bench-plan/acties/importeren/",
            {"action_plan": ids["action_plan"]},
            hostile.name,
            content,
        )
    if status == 302:
        _s, _h, page = client.request("GET", headers["Location"])
        return f"302 → {_s}", message_of(page)
    return str(status), message_of(page)


def time_preview(client: Client, location: str, views: int = 10) -> list[float]:
    times = []
    for _ in range(views):
        started = time.perf_counter()
        status, _headers, page = client.request("GET", location)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200 or "Samenvatting" not in page:
            raise BenchError(f"the preview page gave {status}")
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--files", type=Path, help="generate the files here, or reuse them")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="ov-hostile-"))
    files_dir, temp_dir, upload_dir = scratch / "files", scratch / "tmp", scratch / "uploads"
    files_dir = args.files or files_dir
    for directory in (files_dir, temp_dir, upload_dir):
        directory.mkdir(exist_ok=True)
    log(
        f"Open Veiligheid hostile uploads - {time.strftime('%Y-%m-%d %H:%M %Z')}, "
        f"{os.cpu_count()} CPUs, scratch {scratch}"
    )
    log("Generating the files")
    files = generate(files_dir)
    env = {
        **os.environ,
        "OPENVEILIGHEID_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{scratch / 'bench.sqlite3'}",
        "OPENVEILIGHEID_VAR_DIR": str(scratch),
        "OPENVEILIGHEID_UPLOAD_DIR": str(upload_dir),
        "STATIC_ROOT": str(scratch / "static"),
        "TMPDIR": str(temp_dir),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "openveiligheid.config.settings",
    }
    log("Preparing the database and static files")
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    output = manage(env, "shell", "-c", SETUP.replace("{password}", PASSWORD))
    organisation, action_plan = output.strip().splitlines()[-1].split()
    ids = {"organisation": organisation, "action_plan": action_plan}
    server = Server(env, 2, scratch / "gunicorn.log")
    monitor = None
    outcomes: list[Outcome] = []
    try:
        server.wait_ready("/accounts/login/")
        monitor = Monitor(server.process.pid)
        monitor.start()
        client = Client(server.port)
        client.login()
        log(f"gunicorn: 2 workers on 127.0.0.1:{server.port}, production settings, DEBUG off")
        for hostile in files:
            for form in hostile.forms:
                time.sleep(0.5)
                monitor.reset()
                started = time.perf_counter()
                status, message = send(client, hostile, form, ids)
                seconds = time.perf_counter() - started
                time.sleep(0.3)
                left = len(list(temp_dir.iterdir()))
                outcomes.append(
                    Outcome(
                        hostile,
                        form,
                        status,
                        message,
                        seconds,
                        monitor.worker_peak,
                        monitor.reader_peak,
                        left,
                    )
                )
                log(
                    f"  {hostile.name} → {form}: {status} in {seconds:.1f} s, workers "
                    f"{monitor.worker_peak:.0f} MB, reader {monitor.reader_peak:.0f} MB, "
                    f"{left} temp files: {message[:160]}"
                )
        preview_times = time_preview(client, ids["last_preview"])
    finally:
        if monitor is not None:
            monitor.stop()
        server.stop()
    report(outcomes, upload_dir)
    log(
        "\nThe preview page of the CBS 83648NED upload, viewed again (stored preview, no reading):"
        f" {', '.join(f'{ms:.0f}' for ms in preview_times)} ms (median "
        f"{sorted(preview_times)[len(preview_times) // 2]:.0f} ms, over HTTP)"
    )
    if args.keep:
        log(f"Kept {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)
    hostile = [o for o in outcomes if "control" not in o.file.what]
    met = all(
        o.seconds <= TARGET_SECONDS
        and o.worker_mb <= TARGET_MB
        and not o.temp_left
        and not o.status.endswith("200 → 200")
        for o in hostile
    )
    log(
        f"\nTargets (refusal within {TARGET_SECONDS:.0f} s, workers under {TARGET_MB} MB, "
        f"no temporary file left): {'met' if met else 'NOT met'}"
    )
    return 0 if met else 1


def report(outcomes: list[Outcome], upload_dir: Path) -> None:
    log(
        "\n| file | inside | form | answer | message | time (s) | worker peak (MB) "
        "| reader peak (MB) | temp files left |"
    )
    log("|---|---|---|---|---|---:|---:|---:|---:|")
    for o in outcomes:
        size = o.file.path.stat().st_size / MB
        log(
            f"| {o.file.name} ({size:.2f} MB) | {o.file.what} | {o.form} | {o.status} | "
            f"{o.message[:200]} | {o.seconds:.1f} | {o.worker_mb:.0f} | "
            f"{o.reader_mb:.0f} | {o.temp_left} |"
        )
    kept = sum(1 for path in upload_dir.rglob("*") if path.is_file())
    log(f"\nUploads kept on the private upload storage (until purge-uploads): {kept}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        sys.exit(f"hostile_uploads: {error}")
