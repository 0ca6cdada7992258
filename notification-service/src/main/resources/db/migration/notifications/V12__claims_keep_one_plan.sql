-- A sender's claim of due deliveries, with one plan whatever the table's statistics say (issue 9).
--
-- Written `where id in (select ... limit :limit for update skip locked)` as a prepared statement,
-- the claim was planned again at every call on some connections: once an analysis saw a backlog of
-- due rows, the generic plan (costed for a LIMIT of a tenth of the due rows) looked dearer than
-- plans made for the values, and PostgreSQL never costs a generic plan again on that connection.
-- Forcing the generic plan was no way out for that form: during an analysed backlog it is a hash
-- semi join over a sequential scan of the whole delivery table.
--
-- `id = any (array(select ...))` has the same plan whatever the LIMIT is thought to be: the due rows
-- taken in order along the lane's partial index, then each fetched by primary key. So it is planned
-- once per connection (and again after an analysis), under the function's own plan_cache_mode,
-- which no other statement on the connection sees (the operator's log lookups need plans made for
-- their values). A function because a setting cannot be scoped to one prepared statement: `set
-- local` in a transaction of its own would cost two more round trips per claim.
--
-- The summaries' claim stays in the service: it takes its threads' locks first, and is rare.
create function claim_due_deliveries(direct_replies boolean, batch_limit integer, lease_seconds double precision,
                                     claimant uuid)
    returns setof bigint
    language plpgsql
    set plan_cache_mode = force_generic_plan
as $$
begin
    if direct_replies then
        return query
            update delivery set next_attempt_at = now() + make_interval(secs => lease_seconds), claim_token = claimant
             where id = any (array(select id from delivery
                                    where status = 'PENDING' and reason = 'DIRECT_REPLY' and next_attempt_at <= now()
                                    order by next_attempt_at, id
                                    limit batch_limit
                                    for update skip locked))
            returning id;
    else
        return query
            update delivery set next_attempt_at = now() + make_interval(secs => lease_seconds), claim_token = claimant
             where id = any (array(select id from delivery
                                    where status = 'PENDING' and reason not in ('DIRECT_REPLY', 'SUMMARY')
                                      and next_attempt_at <= now()
                                    order by next_attempt_at, id
                                    limit batch_limit
                                    for update skip locked))
            returning id;
    end if;
end
$$;
