"""Edit ▸ Places…: the manager of the project's own places and the editor of one place."""
