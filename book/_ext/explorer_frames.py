"""Explorer frames as files of their own: a chapter page loads one frame per explorer.

In a notebook, an Explorer's static view (paramopt.widgets.explorer) carries every frame
inline, as ``data:`` URLs, so the cell's output works anywhere on its own. On the website
that would put every frame in the page, hundreds of KB of them. While each page is
written, this extension moves each frame into ``_images/explorer/<sha256>.png`` (a name
from its content, so a frame shared by two explorers is one file) and puts its URL in the
page instead. The page then loads the frame it shows; the static view's script fetches
the others from this site the first time a reader reaches for the explorer's controls.
"""

import base64
import hashlib
import json
import re
from pathlib import Path

DATA_URL = "data:image/png;base64,"
SPEC = re.compile(r'(<script type="application/json" class="po-spec">)(.*?)(</script>)', re.S)
FRAME = re.compile(r'(<img class="po-frame" src=")(data:image/png;base64,[A-Za-z0-9+/=]+)(")')
FOLDER = "_images/explorer"


def setup(app):
    app.connect("html-page-context", move_frames)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def move_frames(app, pagename, templatename, context, doctree):
    body = context.get("body", "")
    if "po-spec" not in body:
        return
    folder = Path(app.outdir) / FOLDER

    def url(data_url):
        png = base64.b64decode(data_url[len(DATA_URL) :])
        name = hashlib.sha256(png).hexdigest()[:32] + ".png"
        path = folder / name
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(png)
        return context["pathto"](f"{FOLDER}/{name}", 1)

    def spec(match):
        data = json.loads(match.group(2))
        data["frames"] = [url(f) if f.startswith(DATA_URL) else f for f in data["frames"]]
        return match.group(1) + json.dumps(data, separators=(",", ":")) + match.group(3)

    body = SPEC.sub(spec, body)
    body = FRAME.sub(lambda m: m.group(1) + url(m.group(2)) + m.group(3), body)
    context["body"] = body
