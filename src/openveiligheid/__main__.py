from openveiligheid.cli import main

main()
