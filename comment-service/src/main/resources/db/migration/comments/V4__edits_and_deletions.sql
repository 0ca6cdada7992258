-- Edit and delete by the author (issue 10). The author proves it is them with a secret returned
-- once in the answer to the post (and kept by the reply form in a cookie): only its SHA-256 is
-- stored. The secret is 256 random bits, so a fast hash is enough (nothing to guess, no salt needed);
-- null for comments posted before this migration (nobody holds their secret).
alter table comment
    add column edit_secret_hash bytea,
    add column edited_at        timestamptz,
    -- Set once, never cleared: the comment keeps its place as "[deleted]"; its name and text are gone
    -- (author_name becomes the marker, body empty). Its address stays until the person is erased.
    add column deleted_at       timestamptz;
