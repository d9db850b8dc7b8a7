"""What the core knows of accounts, whatever their network: the account service (states and
actions over the registry of networks), suspensions and the friend audit."""
