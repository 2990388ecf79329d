from childsafe.cli import main

main()
