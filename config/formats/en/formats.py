# Dates in English pages as board.js writes them (Intl "long": November 30, 2026), so
# a due date reads the same on the page and after a live update.
DATE_FORMAT = "F j, Y"
