export default function ScoringScreen() { return <p>TODO</p>; }
