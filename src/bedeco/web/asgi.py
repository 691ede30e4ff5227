"""The ASGI application for servers: ``uvicorn bedeco.web.asgi:app``."""

from bedeco.web.app import create_app

app = create_app()
