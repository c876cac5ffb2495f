from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import declarative_base, relationship

from .release import RELEASE

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(320), nullable=False, unique=True, index=True)
    password_hash = Column(String(255), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, server_default=func.now())
    last_login_at = Column(DateTime(timezone=True), nullable=True)

    # Added in 1.1.0 by revision 0002 (nullable, so every 1.0.0 row stays valid).
    if RELEASE >= (1, 1, 0):
        display_name = Column(String(100), nullable=True)

    chatbots = relationship("Chatbot", back_populates="owner", cascade="all, delete-orphan")


class Chatbot(Base):
    __tablename__ = "chatbots"

    id = Column(Integer, primary_key=True)
    owner_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    name = Column(String(200), nullable=False)
    system_prompt = Column(Text, nullable=False, server_default="")
    created_at = Column(DateTime(timezone=True), nullable=False, server_default=func.now())

    owner = relationship("User", back_populates="chatbots")
