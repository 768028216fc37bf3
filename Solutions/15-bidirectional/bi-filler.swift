// Both sides of the blank, trained as the chapter trains its models: one epoch of Adam.
let myFiller = Filler(bidirectional: true)
train(myFiller)
