-- The amount invoiced (billing_items.amount, migration 0040: Autotask's
-- extendedPrice, which need not be hours × rate) is part of an item's
-- export row, so its before-images keep it too. NULL: hours × rate.
ALTER TABLE billing_item_history ADD COLUMN amount INTEGER;
