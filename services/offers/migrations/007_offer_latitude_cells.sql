-- Search narrows by latitude band before longitude. latitude_cell is FLOOR(latitude * 100),
-- a band of 0.01 degrees (1.11 km), so a search reads a few short index ranges
-- (latitude_cell = c AND longitude BETWEEN west AND east) instead of one range across the
-- whole width of the map. The index also carries every column the candidate query reads
-- and most filters use, so candidates come from the index alone and only the page's offers
-- are read from the table.
ALTER TABLE offers ADD COLUMN latitude_cell BIGINT;
UPDATE offers SET latitude_cell = CAST(FLOOR(latitude * 100) AS BIGINT) WHERE latitude IS NOT NULL;
DROP INDEX offers_search;
CREATE INDEX offers_geo ON offers (status, latitude_cell, longitude, latitude, pickup_end,
                                   pickup_start, price_amount, currency, category, id);
