"""Column value generators: keys, custom-generator registry, and the offline value pools."""
