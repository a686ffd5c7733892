-- An operator closed the sale: no new registrations; whoever already waits keeps their place and is admitted.
ALTER TABLE sale_control ADD COLUMN closed BOOLEAN NOT NULL DEFAULT false;
