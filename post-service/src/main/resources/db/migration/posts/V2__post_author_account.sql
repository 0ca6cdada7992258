-- The account that published the post (basic:<username> or jwt:<subject>): only it edits the post.
-- Null for posts published before there were accounts; an operator can still close those.
alter table post add column author_account varchar(300);
