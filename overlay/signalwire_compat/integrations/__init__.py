"""Bridges to other frameworks, each an optional extra imported only when its module is.

- ``signalwire_compat.integrations.pipecat`` (``pip install 'signalwire-compat[pipecat]'``): SignalWire's
  media streams as a pipecat ``FrameSerializer``, with ``read_start`` for the stream's first messages.

Importing ``signalwire_compat`` (or this package) imports none of them.
"""
