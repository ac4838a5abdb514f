export default function MemberScreen() { return <p>TODO</p>; }
