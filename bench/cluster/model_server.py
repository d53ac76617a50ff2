"""The alternative to fork-and-share, for measurement only: one model-server process per machine.

The server loads each language's spaCy NER pipeline once and runs `nlp.pipe` for every worker, which
connect over a Unix socket; a worker keeps only a blank tokenizer (vocabulary, stop words) and gets
entity spans back. `remote_detector(address, authkey)` is a detector factory for `ItemWorker`: it
points `detectors.nlp.load_model` at the server in that worker process, then builds the normal
`Detector`, so every other step of detection is the product's own.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from multiprocessing.connection import Client, Connection, Listener
from typing import Iterable, Iterator


@dataclass(frozen=True)
class RemoteEntity:
    label_: str
    start_char: int
    end_char: int


@dataclass(frozen=True)
class RemoteDoc:
    ents: tuple[RemoteEntity, ...]


class RemoteNlp:
    """What `WindowedSpacyNlpEngine` uses of a spaCy `Language`: `pipe`, `make_doc`, `vocab`, `pipe_names`."""

    def __init__(self, language: str, link: "ServerLink") -> None:
        import spacy

        self.language, self._link = language, link
        self._blank = spacy.blank(language)
        self.vocab, self.make_doc, self.pipe_names = self._blank.vocab, self._blank.make_doc, ["ner"]

    def pipe(self, texts: Iterable[str], batch_size: int = 64, **_: object) -> Iterator[RemoteDoc]:
        for ents in self._link.ask(self.language, list(texts)):
            yield RemoteDoc(tuple(RemoteEntity(*e) for e in ents))


class ServerLink:
    """One connection to the server per process: a forked worker opens its own (never its parent's)."""

    def __init__(self, address: str, authkey: bytes) -> None:
        self.address, self.authkey = address, authkey
        self._pid, self._conn, self._lock = 0, None, threading.Lock()

    def ask(self, language: str, texts: list[str]) -> list:
        with self._lock:
            if self._pid != os.getpid():
                self._conn, self._pid = Client(self.address, authkey=self.authkey), os.getpid()
            self._conn.send((language, texts))
            return self._conn.recv()


def remote_detector(address: str, authkey: bytes, settings: object, limits: object):  # noqa: ANN201
    """Detector factory for a worker: the product's `Detector`, with NER through the model server."""
    import detectors.nlp as nlp
    from detectors.engine import Detector

    link = ServerLink(address, authkey)
    nlp.load_model = lambda language: RemoteNlp(language, link)  # the one seam: where models load
    return Detector(settings, limits)


def serve(address: str, authkey: bytes, languages: tuple[str, ...], ready: object) -> None:
    """The server process: load the models once, then one thread per worker connection."""
    from detectors.nlp import load_model

    models = {lang: load_model(lang) for lang in languages}
    busy = threading.Lock()  # one pipeline run at a time: the models are not shared between threads

    def handle(conn: Connection) -> None:
        try:
            while True:
                language, texts = conn.recv()
                with busy:
                    docs = list(models[language].pipe(texts, batch_size=64))
                conn.send([[(e.label_, e.start_char, e.end_char) for e in d.ents] for d in docs])
        except (EOFError, OSError):
            return

    with Listener(address, family="AF_UNIX", authkey=authkey) as listener:
        ready.set()  # type: ignore[attr-defined]
        while True:
            threading.Thread(target=handle, args=(listener.accept(),), daemon=True).start()
