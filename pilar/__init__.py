"""Pilar: the information system of a city social-services office (Dinas Sosial)."""
