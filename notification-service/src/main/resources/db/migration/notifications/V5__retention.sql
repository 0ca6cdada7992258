-- Retention (issue 10): what grows without end is deleted by a scheduled job in small batches
-- (notifications.retention.*, Retention.java).

-- Whether the post takes comments, from the post events, and since when it does not: the comments
-- of a thread closed longer than the retention are deleted (its participants stay).
alter table thread
    add column comments_open boolean not null default true,
    add column closed_at     timestamptz;
create index thread_closed_since on thread (closed_at) where closed_at is not null;

-- The job deletes by age along these: processed ids, and deliveries that are over (never PENDING or HELD).
create index processed_event_age on processed_event (processed_at);
create index delivery_finished_age on delivery (created_at)
    where status in ('SENT', 'FAILED', 'SUPPRESSED', 'DROPPED', 'SKIPPED', 'CANCELLED', 'FOLDED');
