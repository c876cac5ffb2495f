from sqlalchemy import BigInteger, Column, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import declarative_base, relationship

from .release import RELEASE

Base = declarative_base()


class Candidate(Base):
    """A Telegram user who wrote to the bot."""

    __tablename__ = "candidates"

    id = Column(Integer, primary_key=True)
    telegram_chat_id = Column(BigInteger, nullable=False, unique=True, index=True)
    username = Column(String(64), nullable=True)
    first_name = Column(String(128), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, server_default=func.now())
    last_message_at = Column(DateTime(timezone=True), nullable=True)

    # Added in 1.1.0 by revision 0002 (nullable: every 1.0.0 row stays valid).
    if RELEASE >= (1, 1, 0):
        city = Column(String(128), nullable=True)

    messages = relationship("Message", back_populates="candidate")


class Broadcast(Base):
    """A message the admin sends to every candidate; the bot delivers it and marks it sent."""

    __tablename__ = "broadcasts"

    id = Column(Integer, primary_key=True)
    text = Column(Text, nullable=False)
    status = Column(String(16), nullable=False, server_default="pending", index=True)
    created_by = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, server_default=func.now())
    sent_at = Column(DateTime(timezone=True), nullable=True)
    recipients = Column(Integer, nullable=False, server_default="0")


class Message(Base):
    """One message to or from a candidate ("in": from Telegram, "out": sent by the bot)."""

    __tablename__ = "messages"

    id = Column(Integer, primary_key=True)
    candidate_id = Column(Integer, ForeignKey("candidates.id", ondelete="CASCADE"), nullable=False, index=True)
    direction = Column(String(3), nullable=False)
    text = Column(Text, nullable=False)
    telegram_update_id = Column(BigInteger, nullable=True, unique=True)
    telegram_message_id = Column(BigInteger, nullable=True)
    broadcast_id = Column(Integer, ForeignKey("broadcasts.id", ondelete="SET NULL"), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, server_default=func.now())

    candidate = relationship("Candidate", back_populates="messages")
