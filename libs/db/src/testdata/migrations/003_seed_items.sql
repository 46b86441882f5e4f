INSERT INTO items (id, name, quantity) VALUES (1, 'bread; rye', 3);
INSERT INTO items (id, name, quantity) VALUES (2, 'it''s soup', 0);
