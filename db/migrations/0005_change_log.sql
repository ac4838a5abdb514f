CREATE TABLE `changes` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`action` text NOT NULL,
	`before` text,
	`after` text,
	`restored_from` text
);
--> statement-breakpoint
CREATE INDEX `changes_at` ON `changes` (`at`,`id`);--> statement-breakpoint
CREATE INDEX `changes_entity` ON `changes` (`entity`,`entity_id`,`at`,`id`);