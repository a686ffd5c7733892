-- one single-row INSERT per transaction: the least a registration or a seat hold costs the database
INSERT INTO pgbench_insert (payload) VALUES ('load-test');
