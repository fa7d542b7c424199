//! Stack instantiations in the call forms real apps use: the scope passed by keyword, and nested stacks whose
//! classes come from the project's own modules.

use super::*;

#[test]
fn a_class_given_the_app_as_scope_by_keyword_is_a_stack() {
    let src = "import aws_cdk as cdk\nfrom pipeline import Delivery\n\napp = cdk.App()\n\
               Delivery(scope=app, construct_id=\"Delivery\")\nDelivery(scope=other, construct_id=\"No\")\napp.synth()\n";
    assert_eq!(instances(&parse(src)), [("Delivery", Some("Delivery"))]);
}

#[test]
fn a_project_class_created_on_self_is_recorded_so_its_stack_class_counts_as_used() {
    let src = "from aws_cdk import Stack, aws_s3 as s3\nfrom constructs import Construct\nfrom .nested import CacheNested\n\
               from .naming import Names as N\n\nclass ApiStack(Stack):\n    def __init__(self, scope: Construct, id: str) -> None:\n\
               \x20       super().__init__(scope, id)\n        CacheNested(self, \"Cache\")\n        N(self, \"Names\")\n\
               \x20       Construct(self, \"Plain\")\n        Local(self, \"L\")\n        s3.Bucket(self, \"B\")\n";
    assert_eq!(
        instances(&parse(src)),
        [("CacheNested", Some("Cache")), ("Names", Some("Names"))]
    );
}
