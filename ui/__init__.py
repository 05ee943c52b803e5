"""The PySide6 desktop app: window, keymap, background work and printing (all the Qt lives here)."""
