"""Extensions, created here and bound to an app by the factory."""

from __future__ import annotations

from pathlib import Path

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

from service.errors import Api


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate(directory=str(Path(__file__).parent / "migrations"))
csrf = CSRFProtect()
login_manager = LoginManager()
api = Api()
