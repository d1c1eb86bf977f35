"""Explorer frames as files of their own: a chapter page loads one frame per explorer.

In a notebook, an Explorer's static view (paramopt.widgets.explorer) carries every frame
inline, as ``data:`` URLs, so the cell's output works anywhere on its own. On the website
that would put every frame in the page, hundreds of KB of them. While each page is
written, this extension moves each frame into ``_images/explorer/<sha256>.png`` (a name
from its content, so a frame shared by two explorers is one file) and puts its URL in the
page instead. The page then loads the frame it shows; the static view's script fetches
the others from this site the first time a reader reaches for the explorer's controls.

Each frame's sentence (alt text and caption) comes in English and, when the explorer's
``describe`` gives one (paramopt.captions.Caption), in Chinese. The page keeps only the
sentences of its own language: the Chinese edition's explorers speak Chinese.
"""

import base64
import hashlib
import html
import json
import re
from pathlib import Path

DATA_URL = "data:image/png;base64,"
SPEC = re.compile(r'(<script type="application/json" class="po-spec">)(.*?)(</script>)', re.S)
FRAME = re.compile(r'(<img class="po-frame" src=")(data:image/png;base64,[A-Za-z0-9+/=]+)(")')
EXPLORER = re.compile(r'<div class="po-explorer".*?</script></div>', re.S)
ALT = re.compile(r'(<img class="po-frame" [^>]*?alt=")([^"]*)(")')
CAPTION = re.compile(r'(<p class="po-caption"[^>]*>)([^<]*)(</p>)')
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

    chinese = (app.config.language or "en").startswith("zh")

    def explorer(match):
        block = match.group(0)
        data = json.loads(SPEC.search(block).group(2))
        data["frames"] = [url(f) if f.startswith(DATA_URL) else f for f in data["frames"]]
        zh = data.pop("zh", None)
        if chinese and zh:
            # the sentence shown first is that of the default frame: the same in Chinese
            text = html.escape(zh[data["texts"].index(html.unescape(ALT.search(block).group(2)))])
            block = ALT.sub(lambda m: m.group(1) + text + m.group(3), block)
            block = CAPTION.sub(lambda m: m.group(1) + text + m.group(3), block)
            data["texts"] = zh
        payload = json.dumps(data, separators=(",", ":"))
        return SPEC.sub(lambda m: m.group(1) + payload + m.group(3), block)

    body = EXPLORER.sub(explorer, body)
    body = FRAME.sub(lambda m: m.group(1) + url(m.group(2)) + m.group(3), body)
    context["body"] = body
