from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class Instance(Base):
    __tablename__ = "instances"
    id = Column(Integer, primary_key=True)
    name = Column(String)
