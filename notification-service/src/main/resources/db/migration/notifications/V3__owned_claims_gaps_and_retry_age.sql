-- Owned claims, retries bounded by age, and threads that move on past a missing comment (issue 12).

-- The claim a sender holds on a delivery: written with the claim, renewed while its batch is in
-- flight (next_attempt_at is the lease's end), and required by every later update of the row, so a
-- sender that lost its claim changes nothing.
alter table delivery add column claim_token uuid;
create index delivery_claimed on delivery (claim_token) where status = 'PENDING';
-- When the first attempt failed: the retries stop once this is older than the max age.
alter table delivery add column first_failed_at timestamptz;
-- FAILED because the server refused it for good (5xx), not because the retries ran out: a bulk
-- retry leaves these alone unless asked.
alter table delivery add column rejected boolean not null default false;

-- Since when the thread has waited at fanned_out_position + 1 while a later comment is known;
-- null when it is not waiting. Past the gap timeout the missing positions are skipped.
alter table thread add column gap_since timestamptz;
create index thread_waiting_at_gap on thread (gap_since) where gap_since is not null;

-- Positions a thread was advanced past without their comment, and why; filled_at is set when the
-- comment arrives after all and is fanned out on its own.
create table thread_gap (
    post_id    uuid        not null,
    position   int         not null,
    reason     text        not null,
    skipped_at timestamptz not null default now(),
    filled_at  timestamptz,
    comment_id uuid,
    primary key (post_id, position)
);

-- Comments whose post is not known yet, per post: the gauges show how many wait and for how long.
create table awaited_post (
    post_id  uuid        primary key,
    since    timestamptz not null default now(),
    comments int         not null default 0
);
