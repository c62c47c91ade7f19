"""SignalWire's media WebSocket protocol, sans-IO: typed messages both ways, μ-law codecs, bearer check.

    from signalwire_compat import media

    message = media.parse(text)  # Connected | Start | Media | Dtmf | Mark | Stop | Unknown
    if isinstance(message, media.Media):
        pcm = media.ulaw_to_pcm16(message.payload)

No framework is imported: feed it the text frames your WebSocket library gives you.
"""

from .._exceptions import MediaProtocolError
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

__all__ = [
    "DTMF_DIGITS",
    "AppClear",
    "AppDtmf",
    "AppMark",
    "AppMedia",
    "AppMessage",
    "ByteOrder",
    "Connected",
    "Dtmf",
    "Mark",
    "Media",
    "MediaFormat",
    "MediaProtocolError",
    "Message",
    "Start",
    "Stop",
    "Unknown",
    "check_bearer",
    "clear_message",
    "dtmf_message",
    "l16_to_pcm16",
    "mark_message",
    "media_message",
    "parse",
    "parse_app_message",
    "pcm16_to_l16",
    "pcm16_to_ulaw",
    "signalwire_connected",
    "signalwire_dtmf",
    "signalwire_mark",
    "signalwire_media",
    "signalwire_start",
    "signalwire_stop",
    "ulaw_to_pcm16",
]
