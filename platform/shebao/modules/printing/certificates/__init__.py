"""One builder per certificate kind (``build(city, person, args) -> Certificate``), and the
parts they share (``common``). ``printing.services`` maps each kind to its builder."""
