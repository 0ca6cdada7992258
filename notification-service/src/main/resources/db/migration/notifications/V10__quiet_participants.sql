-- A hot thread's quiet participants are not read per comment (issue 9, hot threads).

-- Until this time (their window's end), the participant's thread updates in this thread are folded
-- into a summary that can still take them: a comment changes nothing for them unless it is theirs or
-- answers them, so the fan-out does not read them at all. Set by the thread stage when it folds an
-- update for them; null otherwise (nothing is known, the fan-out reads them and decides). Null is
-- always safe, so existing windows need no backfill: the next comment that folds for them sets it.
alter table thread_participant add column quiet_until timestamptz;

-- The fan-out reads, in address order, the participants that are not quiet: those with nothing set,
-- and those whose quiet time has passed (a window that closed; few at a time, read by time).
create index thread_participant_heard on thread_participant (post_id, email) where quiet_until is null;
create index thread_participant_quiet on thread_participant (post_id, quiet_until) where quiet_until is not null;

-- A participant is quiet only while their window's summary can take updates. Whatever ends that
-- (a sender's claim fixing what it carries, a cancellation, a suppression, an erasure deleting it),
-- the participant is read again from the next comment on, which then mails the update at once (see
-- FloodControl.summaryGone). A trigger rather than a line in each of those places, so a path added
-- later cannot leave a participant quiet behind a summary that has gone: their updates would be lost.
create function summary_no_longer_open() returns trigger language plpgsql as $$
begin
    update thread_participant set quiet_until = null
     where post_id = old.post_id and email = old.recipient_email and window_opened_at = old.summary_window
       and quiet_until is not null;
    return null;
end
$$;

create trigger summary_closed after update of status, summary_through_position on delivery
    for each row
    when (old.reason = 'SUMMARY' and old.status in ('PENDING', 'HELD') and old.summary_through_position is null
          and (new.status not in ('PENDING', 'HELD') or new.summary_through_position is not null))
    execute function summary_no_longer_open();

create trigger summary_deleted after delete on delivery
    for each row
    when (old.reason = 'SUMMARY' and old.status in ('PENDING', 'HELD') and old.summary_through_position is null)
    execute function summary_no_longer_open();
