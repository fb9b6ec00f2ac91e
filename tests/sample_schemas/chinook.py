"""Chinook: a digital media store (reduced from the public Chinook sample database).

Artists have albums, albums have tracks, tracks have a genre and a media type; employees report
to employees (``reports_to``), customers have a support representative, invoices have lines that
point at tracks, and playlists hold tracks through the ``playlist_track`` association table.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import DeclarativeBase

__all__ = [
    "MODELS",
    "Album",
    "Artist",
    "Base",
    "Customer",
    "Employee",
    "Genre",
    "Invoice",
    "InvoiceLine",
    "MediaType",
    "Playlist",
    "PlaylistTrack",
    "Track",
]


class Base(DeclarativeBase):
    pass


class Artist(Base):
    """A musician or band whose albums the store sells."""

    __tablename__ = "artist"

    artist_id = Column(Integer, primary_key=True)
    name = Column(String(120), comment="Name of the artist or band")


class Album(Base):
    """A music album released by one artist."""

    __tablename__ = "album"

    album_id = Column(Integer, primary_key=True)
    title = Column(String(160), nullable=False, comment="Title of the album")
    artist_id = Column(
        Integer, ForeignKey("artist.artist_id"), nullable=False, comment="Artist of the album"
    )


class Genre(Base):
    """A music genre such as Rock, Jazz or Classical."""

    __tablename__ = "genre"

    genre_id = Column(Integer, primary_key=True)
    name = Column(String(120), comment="Name of the music genre")


class MediaType(Base):
    """The file format a track is sold in, e.g. MPEG audio file or AAC audio file."""

    __tablename__ = "media_type"

    media_type_id = Column(Integer, primary_key=True)
    name = Column(String(120), comment="Name of the media format")


class Track(Base):
    """A song or video sold by the store, usually part of an album."""

    __tablename__ = "track"

    track_id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False, comment="Title of the track")
    album_id = Column(Integer, ForeignKey("album.album_id"), comment="Album the track is on")
    media_type_id = Column(
        Integer,
        ForeignKey("media_type.media_type_id"),
        nullable=False,
        comment="File format of the track",
    )
    genre_id = Column(Integer, ForeignKey("genre.genre_id"), comment="Genre of the track")
    composer = Column(String(220), comment="Composer(s) of the track")
    milliseconds = Column(Integer, nullable=False, comment="Duration of the track in milliseconds")
    bytes = Column(Integer, comment="File size in bytes")
    unit_price = Column(Numeric(10, 2), nullable=False, comment="Price of one download in USD")


class Employee(Base):
    """A store employee; employees report to a manager who is also an employee."""

    __tablename__ = "employee"

    employee_id = Column(Integer, primary_key=True)
    last_name = Column(String(20), nullable=False, comment="Employee's last name")
    first_name = Column(String(20), nullable=False, comment="Employee's first name")
    title = Column(String(30), comment="Job title, e.g. Sales Support Agent")
    reports_to = Column(
        Integer,
        ForeignKey("employee.employee_id"),
        comment="Manager of the employee (NULL for the general manager)",
    )
    birth_date = Column(DateTime, comment="Date of birth")
    hire_date = Column(DateTime, comment="Date the employee was hired")
    address = Column(String(70), comment="Street address")
    city = Column(String(40), comment="City")
    state = Column(String(40), comment="State or province")
    country = Column(String(40), comment="Country")
    postal_code = Column(String(10), comment="Postal code")
    phone = Column(String(24), comment="Phone number")
    email = Column(String(60), comment="Work email address")


class Customer(Base):
    """A person who buys music from the store, looked after by a support representative."""

    __tablename__ = "customer"

    customer_id = Column(Integer, primary_key=True)
    first_name = Column(String(40), nullable=False, comment="Customer's first name")
    last_name = Column(String(20), nullable=False, comment="Customer's last name")
    company = Column(String(80), comment="Company the customer works for, if any")
    address = Column(String(70), comment="Street address")
    city = Column(String(40), comment="City")
    state = Column(String(40), comment="State or province")
    country = Column(String(40), comment="Country")
    postal_code = Column(String(10), comment="Postal code")
    phone = Column(String(24), comment="Phone number")
    email = Column(String(60), nullable=False, comment="Customer's email address")
    support_rep_id = Column(
        Integer,
        ForeignKey("employee.employee_id"),
        comment="Employee who is the customer's support representative",
    )


class Invoice(Base):
    """A purchase by a customer, billed to an address."""

    __tablename__ = "invoice"

    invoice_id = Column(Integer, primary_key=True)
    customer_id = Column(
        Integer,
        ForeignKey("customer.customer_id"),
        nullable=False,
        comment="Customer who made the purchase",
    )
    invoice_date = Column(DateTime, nullable=False, comment="Date and time of the purchase")
    billing_address = Column(String(70), comment="Billing street address")
    billing_city = Column(String(40), comment="Billing city")
    billing_country = Column(String(40), comment="Billing country")
    billing_postal_code = Column(String(10), comment="Billing postal code")
    total = Column(Numeric(10, 2), nullable=False, comment="Invoice total in USD")


class InvoiceLine(Base):
    """One purchased track on an invoice."""

    __tablename__ = "invoice_line"

    invoice_line_id = Column(Integer, primary_key=True)
    invoice_id = Column(
        Integer, ForeignKey("invoice.invoice_id"), nullable=False, comment="Invoice of the line"
    )
    track_id = Column(
        Integer, ForeignKey("track.track_id"), nullable=False, comment="Track that was bought"
    )
    unit_price = Column(Numeric(10, 2), nullable=False, comment="Price paid for one unit in USD")
    quantity = Column(Integer, nullable=False, comment="Number of units bought")


class Playlist(Base):
    """A named list of tracks, e.g. Music, Movies, Grunge."""

    __tablename__ = "playlist"

    playlist_id = Column(Integer, primary_key=True)
    name = Column(String(120), comment="Name of the playlist")


class PlaylistTrack(Base):
    """Association table: which tracks are on which playlist (each at most once)."""

    __tablename__ = "playlist_track"

    playlist_id = Column(
        Integer, ForeignKey("playlist.playlist_id"), primary_key=True, comment="The playlist"
    )
    track_id = Column(
        Integer, ForeignKey("track.track_id"), primary_key=True, comment="A track on the playlist"
    )


MODELS: list[type[Base]] = [
    Artist,
    Album,
    Genre,
    MediaType,
    Track,
    Employee,
    Customer,
    Invoice,
    InvoiceLine,
    Playlist,
    PlaylistTrack,
]
