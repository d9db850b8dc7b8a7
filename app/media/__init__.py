"""Photos and videos made safe to post: opening and preparing (prepare), faces (faces), blurring
(blur), encoding and geometry, metadata, video, the draft's media (draft) and the jobs before
publishing (jobs)."""
