"""What the core knows of accounts, whatever their network: suspensions and the friend audit."""
