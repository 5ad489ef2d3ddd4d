"""The project's tags as a whole: undo commands to rename, merge and delete them, and the Tags dialog."""
