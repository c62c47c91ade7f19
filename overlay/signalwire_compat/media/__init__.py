"""SignalWire's media WebSocket: a session for voice agents, and the protocol underneath, sans-IO.

    from signalwire_compat import media

    async with media.session(websocket, bearer=TOKEN, client=client) as session:
        greeting = session.play(pcm, rate=24000)  # paced, resampled, encoded; await it: Played | Cleared
        async for event in session:  # media.Audio (16-bit PCM) | media.Dtmf | media.Unknown
            ...

    message = media.parse(text)  # Connected | Start | Media | Dtmf | Mark | Stop | Unknown
    if isinstance(message, media.Media):
        pcm = media.ulaw_to_pcm16(message.payload)

The session takes Starlette/FastAPI's, aiohttp's or websockets' WebSocket objects and imports
that framework only then; ``parse`` and the codecs import none (feed them your text frames).
"""

from .._exceptions import MediaProtocolError
from ._adapters import process_request, session
from ._bearer import check_bearer
from ._builders import (
    clear_message,
    dtmf_message,
    mark_message,
    media_message,
    signalwire_connected,
    signalwire_dtmf,
    signalwire_mark,
    signalwire_media,
    signalwire_start,
    signalwire_stop,
)
from ._events import (
    Audio,
    Cleared,
    Ended,
    EndReason,
    Event,
    MediaSessionError,
    Playback,
    Played,
    SessionRefusedError,
)
from ._g711 import ByteOrder, l16_to_pcm16, pcm16_to_l16, pcm16_to_ulaw, ulaw_to_pcm16
from ._messages import (
    DTMF_DIGITS,
    AppClear,
    AppDtmf,
    AppMark,
    AppMedia,
    AppMessage,
    Connected,
    Dtmf,
    Mark,
    Media,
    MediaFormat,
    Message,
    Start,
    Stop,
    Unknown,
    parse,
    parse_app_message,
)
from ._pcm import dbfs, rms
from ._playout import FRAME_MS, LEAD_MS
from ._resample import AudioExtraMissingError, Resampler, resample
from ._session import MediaSession

__all__ = [
    "DTMF_DIGITS",
    "FRAME_MS",
    "LEAD_MS",
    "AppClear",
    "AppDtmf",
    "AppMark",
    "AppMedia",
    "AppMessage",
    "Audio",
    "AudioExtraMissingError",
    "ByteOrder",
    "Cleared",
    "Connected",
    "Dtmf",
    "EndReason",
    "Ended",
    "Event",
    "Mark",
    "Media",
    "MediaFormat",
    "MediaProtocolError",
    "MediaSession",
    "MediaSessionError",
    "Message",
    "Playback",
    "Played",
    "Resampler",
    "SessionRefusedError",
    "Start",
    "Stop",
    "Unknown",
    "check_bearer",
    "clear_message",
    "dbfs",
    "dtmf_message",
    "l16_to_pcm16",
    "mark_message",
    "media_message",
    "parse",
    "parse_app_message",
    "pcm16_to_l16",
    "pcm16_to_ulaw",
    "process_request",
    "resample",
    "rms",
    "session",
    "signalwire_connected",
    "signalwire_dtmf",
    "signalwire_mark",
    "signalwire_media",
    "signalwire_start",
    "signalwire_stop",
    "ulaw_to_pcm16",
]
