"""Publishing in the GUI: the confirmation, the progress, scheduling, the Gepland page, the
practice timeline, and the publisher that runs the outbox off the GUI thread."""
