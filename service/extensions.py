"""Extensions, created here and bound to an app by the factory."""

from __future__ import annotations

from pathlib import Path

from flask_limiter import ApplicationLimit, Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

from service import ratelimits
from service.errors import Api


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate(directory=str(Path(__file__).parent / "migrations"))
csrf = CSRFProtect()
login_manager = LoginManager()
api = Api()
# One API_RATE_LIMIT bucket per caller, shared by every /api/v1 route; views may add their own.
limiter = Limiter(
    key_func=ratelimits.client_address,
    application_limits=[
        ApplicationLimit(
            ratelimits.api_rate_limit,
            key_function=ratelimits.api_caller,
            scope="api",
            exempt_when=ratelimits.not_api,
        )
    ],
)
