"""Demo IOC backend: a real HTTP server that simulates Bình Phước province's IOC.

It exists so the console's real network path (REST, SSE, MJPEG) runs in demos and
tests without any outside service. Start it with `DemoServer` (console.demo.server)
or `python -m console.demo`.
"""
