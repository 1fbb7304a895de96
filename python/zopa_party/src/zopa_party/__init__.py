"""Reference client of zopa's party protocol (docs/party-protocol.md), standard library only.

Subclass :class:`Party`, implement :meth:`Party.move` (and, to vote on single texts other than
as a hill climber, :meth:`Party.vote`, :meth:`Party.feedback`, :meth:`Party.ratify`), and call
:func:`serve_stdio`; zopa runs
the program with ``--negotiators boulware,exec:"python3 my_agent.py"`` (or lists it in a
tournament file)::

    from zopa_party import Party, Offer, Accept, serve_stdio

    class Greedy(Party):
        def move(self, turn):
            if turn.standing and self.utility(turn.standing.outcome) > 0.8:
                return Accept()
            return Offer(self.best())

    serve_stdio(Greedy)

The client keeps the protocol's information boundary: a party sees its own utility, its own
outside option, the deadline and the moves at the table.
"""

import base64
import itertools
import json
import os
import socket
import struct
import sys
import urllib.parse
from dataclasses import dataclass, field
from typing import Dict, List, Optional

VERSION = 1

Outcome = Dict[str, object]


@dataclass
class Move:
    """A move made at the table: ``action`` is ``offer``, ``accept`` or ``end``."""

    round: int
    seat: int
    action: str
    outcome: Optional[Outcome] = None


@dataclass
class Standing:
    """The offer on the table and the seat that made it."""

    seat: int
    outcome: Outcome


@dataclass
class Turn:
    """A ``turn`` message: the party's move is due."""

    round: int
    time: float
    reservation: float
    moves: List[Move] = field(default_factory=list)
    standing: Optional[Standing] = None


@dataclass
class Ballot:
    """A ``vote`` message: a text put to the party at a single-text table. ``question`` is
    ``vote`` (carry it as the standing text?), ``feedback`` (better, same or worse than the
    previous text?) or ``ratify`` (the final yes or no on the whole package)."""

    question: str
    round: int
    time: float
    reservation: float
    text: Outcome
    standing: Optional[Outcome] = None
    previous: Optional[Outcome] = None


@dataclass
class Offer:
    outcome: Outcome


class Accept:
    pass


class End:
    pass


class ProtocolError(Exception):
    """zopa sent something this client does not understand."""


class Party:
    """One negotiator. zopa gives it :attr:`settings` (the ``settings`` message) and asks for a
    move each turn; override :meth:`move`."""

    def __init__(self, settings: dict, channel: "Channel"):
        if settings.get("version") != VERSION:
            raise ProtocolError(f"this client speaks version {VERSION}, zopa sent {settings.get('version')}")
        self.settings = settings
        self.name: str = settings["party"]
        self.seat: int = settings["seat"]
        self.issues: List[dict] = settings["issues"]
        self.reservation: float = settings["reservation"]
        self._channel = channel
        utility = settings.get("utility") or {}
        self._tables = utility.get("tables")
        self._capped = utility.get("capped", False)

    # What the party may know -------------------------------------------------------------

    def utility(self, outcome: Outcome) -> float:
        """The party's own utility of ``outcome``: from the tables zopa sent, else asked."""
        if self._tables is not None:
            total = sum(self._tables[i["name"]][_key(outcome[i["name"]])] for i in self.issues)
            return min(total, 1.0) if self._capped else total
        self._channel.send({"type": "utility", "outcome": outcome})
        answer = self._channel.receive()
        if answer.get("type") != "utility":
            raise ProtocolError(answer.get("message", f"unexpected answer {answer}"))
        return answer["value"]

    def outcomes(self):
        """Every outcome, when every issue's values can be listed (discrete or integer)."""
        grids = []
        for i in self.issues:
            if "values" in i:
                grids.append(i["values"])
            elif "integer" in i:
                low, high = i["integer"]
                grids.append(list(range(low, high + 1)))
            else:
                raise ValueError(f"issue {i['name']} is real-valued: its values cannot be listed")
        names = [i["name"] for i in self.issues]
        for combo in itertools.product(*grids):
            yield dict(zip(names, combo))

    def best(self) -> Outcome:
        """The outcome worth most to the party (listing every outcome)."""
        return max(self.outcomes(), key=self.utility)

    # What a subclass decides ---------------------------------------------------------------

    def move(self, turn: Turn):
        """Return :class:`Offer`, :class:`Accept` or :class:`End`."""
        raise NotImplementedError

    def vote(self, ballot: Ballot) -> bool:
        """Single text: carry ``ballot.text``? By default, yes when it is worth at least the
        outside option and the standing text (a hill climber)."""
        u = self.utility(ballot.text)
        return u >= ballot.reservation and (ballot.standing is None or u >= self.utility(ballot.standing))

    def feedback(self, ballot: Ballot) -> str:
        """Single text with a feedback mediator: ``better``, ``same`` or ``worse`` than the
        previous text. By default, by the party's own utility."""
        if ballot.previous is None:
            return "better"
        now, before = self.utility(ballot.text), self.utility(ballot.previous)
        return "better" if now > before else "worse" if now < before else "same"

    def ratify(self, ballot: Ballot) -> bool:
        """The final yes or no on the package. By default, yes when it beats walking away."""
        return self.utility(ballot.text) >= ballot.reservation

    def finished(self, result: dict) -> None:
        """Told how it ended (the ``end`` message: ``end``, ``agreement``, ``utility``,
        ``rounds``). By default nothing is done; :func:`play` returns it too."""


def _key(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


class Channel:
    """Messages over a pair of text streams, one JSON object per line."""

    def __init__(self, reader=sys.stdin, writer=sys.stdout):
        self._reader = reader
        self._writer = writer

    def send(self, message: dict) -> None:
        self._writer.write(json.dumps(message) + "\n")
        self._writer.flush()

    def receive(self) -> dict:
        line = self._reader.readline()
        if not line:
            raise EOFError("zopa closed the channel")
        return json.loads(line)


def _turn(message: dict) -> Turn:
    standing = message.get("standing")
    return Turn(
        round=message["round"],
        time=message["time"],
        reservation=message["reservation"],
        moves=[Move(m["round"], m["seat"], m["action"], m.get("outcome")) for m in message.get("moves", [])],
        standing=Standing(standing["seat"], standing["outcome"]) if standing else None,
    )


def _action(move) -> dict:
    if isinstance(move, Offer):
        return {"type": "offer", "outcome": move.outcome}
    if isinstance(move, Accept):
        return {"type": "accept"}
    if isinstance(move, End):
        return {"type": "end"}
    raise TypeError(f"move() returned {move!r}; return Offer(outcome), Accept() or End()")


def _ballot(message: dict) -> Ballot:
    return Ballot(
        question=message["question"],
        round=message["round"],
        time=message["time"],
        reservation=message["reservation"],
        text=message["text"],
        standing=message.get("standing"),
        previous=message.get("previous"),
    )


def _answer(party: Party, ballot: Ballot) -> dict:
    if ballot.question == "feedback":
        answer = party.feedback(ballot)
        if answer not in ("better", "same", "worse"):
            raise TypeError(f"feedback() returned {answer!r}; return 'better', 'same' or 'worse'")
        return {"type": "feedback", "answer": answer}
    if ballot.question not in ("vote", "ratify"):
        raise ProtocolError(f"zopa asked a `{ballot.question}` question this client does not know")
    yes = party.ratify(ballot) if ballot.question == "ratify" else party.vote(ballot)
    return {"type": "vote", "accept": bool(yes)}


def play(party_class, channel: Channel) -> Optional[dict]:
    """Plays one negotiation on ``channel``: settings, then turns and ballots until ``end``.
    Returns the ``end`` message (how it ended, the agreement and its utility to the party), or
    ``None`` when zopa closed the channel without one."""
    settings = channel.receive()
    if settings.get("type") != "settings":
        raise ProtocolError(f"expected settings first, got {settings.get('type')}")
    party = party_class(settings, channel)
    while True:
        try:
            message = channel.receive()
        except EOFError:
            return None
        kind = message.get("type")
        if kind == "end":
            party.finished(message)
            return message
        if kind == "turn":
            turn = _turn(message)
            party.reservation = turn.reservation
            channel.send(_action(party.move(turn)))
        elif kind == "vote":
            ballot = _ballot(message)
            party.reservation = ballot.reservation
            channel.send(_answer(party, ballot))


def serve_stdio(party_class) -> Optional[dict]:
    """Plays one negotiation over this process's stdin and stdout (zopa's ``exec:``)."""
    return play(party_class, Channel())


class WebSocketChannel(Channel):
    """Messages over a WebSocket (RFC 6455, text frames), with the standard library only:
    ``zopa serve`` seats a program at ``ws://HOST:PORT/ws/play/ID/TOKEN``."""

    def __init__(self, url: str, timeout: Optional[float] = None):
        u = urllib.parse.urlsplit(url)
        if u.scheme != "ws":
            raise ValueError(f"{url}: only ws:// URLs (zopa serve binds to loopback by default)")
        self._sock = socket.create_connection((u.hostname, u.port or 80), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        path = u.path + (("?" + u.query) if u.query else "")
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {u.hostname}:{u.port or 80}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self._sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self._sock.recv(1)
            if not chunk:
                raise EOFError("the server closed the connection during the handshake")
            head += chunk
        status = head.split(b"\r\n", 1)[0].decode()
        if " 101 " not in status + " ":
            raise ProtocolError(f"{url}: the server refused the seat ({status})")

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self._sock.recv(n - len(data))
            if not chunk:
                raise EOFError("zopa closed the connection")
            data += chunk
        return data

    def _frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 1 << 16:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self._sock.sendall(header + mask + masked)

    def send(self, message: dict) -> None:
        self._frame(0x1, json.dumps(message).encode())

    def send_raw(self, text: str) -> None:
        """Sends any text as one message (tests use it to send what is no JSON)."""
        self._frame(0x1, text.encode())

    def receive(self) -> dict:
        parts = []
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack("!H", self._read(2))
            elif n == 127:
                (n,) = struct.unpack("!Q", self._read(8))
            payload = self._read(n)
            if opcode == 0x8:
                raise EOFError("zopa closed the connection")
            if opcode == 0x9:
                self._frame(0xA, payload)
                continue
            if opcode in (0x1, 0x0):
                parts.append(payload)
                if b0 & 0x80:
                    return json.loads(b"".join(parts))

    def close(self) -> None:
        try:
            self._frame(0x8, b"")
        finally:
            self._sock.close()


def serve_websocket(party_class, url: str) -> Optional[dict]:
    """Plays one negotiation over a WebSocket seat of ``zopa serve``."""
    channel = WebSocketChannel(url)
    try:
        return play(party_class, channel)
    finally:
        channel.close()
