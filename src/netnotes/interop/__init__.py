"""Other tools' files in and out (vCard, CSV, ICS, JSON); may import every stage below, not cli."""
