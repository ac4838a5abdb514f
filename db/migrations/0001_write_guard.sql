CREATE TABLE `write_guard` (
	`id` integer PRIMARY KEY NOT NULL,
	`ok` integer NOT NULL,
	CONSTRAINT "write_guard_unchanged" CHECK("write_guard"."ok" = 1)
);
